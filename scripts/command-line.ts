import { parseArgs, type ParseArgsConfig } from 'node:util';

// What every command of scripts/ and bench/ does with its command line: --help prints the
// usage, options and an example (exit 0); a wrong command line is one line pointing to
// --help (exit 2); any other failure is one line (never a stack trace).

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>;

export interface Command<O extends Options> {
  /** The npm script, e.g. "audit:verify" ("start" for `npm start`); it prefixes every error line. */
  name: string;
  /** The arguments, as the usage line shows them. */
  usage: string;
  /** What the command does and what its exit codes mean. */
  summary: string;
  options: O;
  /** One line for each option and positional argument, by how the usage line names it. */
  help: [string, string][];
  /** Environment variables the command reads, with what they mean to it. */
  environment?: [string, string][];
  /** The names of its positional arguments, when it takes some (all required). */
  positionals?: string[];
  example: string;
}

/** A wrong command line: its message is shown with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

export function invocation(command: { name: string }): string {
  return command.name === 'start' ? 'npm start --' : `npm run ${command.name} --`;
}

/** The parsed command line; prints the help and exits on --help (or -h). */
export function parseCommandLine<O extends Options>(command: Command<O>, args = process.argv.slice(2)): Parsed<O> {
  let parsed;
  try {
    const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as const;
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // Node's messages go on with advice about '--'; the first sentence is the one that matters.
    const [first] = (error as Error).message.split('. ');
    throw new UsageError(first!.charAt(0).toLowerCase() + first!.slice(1));
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(helpText(command));
    process.exit(0);
  }
  const expected = command.positionals?.length ?? 0;
  if (parsed.positionals.length > expected) throw new UsageError(`unexpected argument "${parsed.positionals[expected]}"`);
  if (parsed.positionals.length < expected) throw new UsageError(`usage: ${invocation(command)} ${command.usage}`);
  return parsed as unknown as Parsed<O>;
}

export function helpText<O extends Options>(command: Command<O>): string {
  const table = (rows: [string, string][]) => {
    const width = Math.max(...rows.map(([name]) => name.length)) + 2;
    return rows.map(([name, text]) => `  ${name.padEnd(width)}${text}`).join('\n');
  };
  const sections = [
    `usage: ${command.usage ? `${invocation(command)} ${command.usage}` : invocation(command).replace(/ --$/, '')}`,
    command.summary,
    `options:\n${table([...command.help, ['-h, --help', 'show this help']])}`,
    ...(command.environment ? [`environment:\n${table(command.environment)}`] : []),
    `example:\n  ${command.example}`,
  ];
  return `${sections.join('\n\n')}\n`;
}

/**
 * Runs a command's work and exits with its code (0 when it returns none). A failure is one
 * line on stderr, `<name>: <message>`: exit 2 for a usage error, `failureCode` otherwise.
 */
export function runCommand(command: { name: string }, work: () => Promise<number | void>, failureCode = 1): void {
  work().then(
    (code) => process.exit(code ?? 0),
    (error: Error) => {
      const usage = error instanceof UsageError;
      console.error(`${command.name}: ${error.message}${usage ? ` (see ${invocation(command)} --help)` : ''}`);
      process.exit(usage ? 2 : failureCode);
    },
  );
}
