// Signs of a node's insides in what it says, whatever it is written in: a stack, an internal
// address, SQL or a database's error text, a file path. Each text of an answer (a message,
// a value, a key) is read decoded, not as escaped JSON. A link to public documentation is
// fine; an address inside the node's network is not.

const PRIVATE_IPV4 = String.raw`\b(10\.\d{1,3}|127\.\d{1,3}|192\.168|172\.(1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}\b`;

export const LEAKS: [string, RegExp][] = [
  [
    'a stack frame',
    /\bat .{0,120}?[\w/\\.-]+\.(js|mjs|cjs|ts|jsx|tsx|rs|go|py|rb|php|cs|java|kt|scala)(:\d+){1,2}\b|\bat [\w$.]+\([\w$]+\.(java|kt|scala):\d+\)|File "[^"]+", line \d+|node:internal\/|panicked at|:line \d+\b|\.rb:\d+:in\b|goroutine \d+ \[/,
  ],
  ['a stack trace', /stacktrace|stack trace|Traceback \(most recent/i],
  [
    'an internal address',
    new RegExp(
      [
        PRIVATE_IPV4,
        String.raw`\blocalhost\b`,
        String.raw`\[?::1\]?(:\d+)?\b(?![\w.-])`,
        String.raw`\b[\w-]+(\.[\w-]+)*\.(internal|local|lan|svc|corp|intranet)\b`,
        String.raw`\bhttps?://[^\s/"'<>]+:(?!(443|80)\b)\d{2,5}\b`,
        String.raw`\b(redis|rediss|mongodb|mongodb\+srv|amqp|amqps|nats|mysql|postgres|postgresql|jdbc:[a-z]+)://`,
        String.raw`\bE(CONNREFUSED|NOTFOUND|AI_AGAIN|CONNRESET|TIMEDOUT|HOSTUNREACH)\b`,
        String.raw`\bdial tcp\b`,
      ].join('|'),
      'i',
    ),
  ],
  [
    'SQL',
    /\b(select|SELECT)\s[^;]{1,200}?\s(from|FROM)\s+[\w."`[\]]+\s+(where|WHERE|join|JOIN|order by|ORDER BY|limit|LIMIT|group by|GROUP BY)\b|\b(insert into|INSERT INTO|delete from|DELETE FROM)\s|\b(update|UPDATE)\s+[\w."`]+\s+(set|SET)\s|\bSQLITE_[A-Z]+\b|\bORA-\d{5}\b|\bER_[A-Z_]{3,}\b|\bSQLSTATE\b|\bE11000\b|MongoServerError|error in your SQL syntax|syntax error at or near|(relation|column) "[^"]+" does not exist|no such (table|column):|java\.sql\.|org\.postgresql|psycopg|SqlException|\bsqlite3?\b/,
  ],
  [
    'a file path',
    /(^|[\s"'(=])\/(tmp|home|usr|var|srv|opt|work|app|root|etc|build|src|data)\/|\b[A-Z]:\\|node_modules|site-packages|\.(js|mjs|cjs|ts|py|java|go|rb|php|cs|rs):\d+/,
  ],
];

/** Every string in a parsed answer, keys included; the text itself when it is not JSON. */
export function textsOf(body: unknown, text: string): string[] {
  if (typeof body === 'string' || body === undefined) return [text];
  const texts: string[] = [];
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) stack.push(...value);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        texts.push(key);
        stack.push(child);
      }
    }
  }
  return texts;
}

/** The first kind of leak in these texts, with the text that shows it. */
export function leakIn(texts: readonly string[]): { leak: string; text: string } | undefined {
  for (const [leak, pattern] of LEAKS) {
    const text = texts.find((candidate) => pattern.test(candidate));
    if (text !== undefined) return { leak, text };
  }
  return undefined;
}
