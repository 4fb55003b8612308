import { graphqlBody, type Exchange } from '../client.js';
import { leakIn, textsOf } from '../leaks.js';
import type { Check, Kit } from '../kit.js';
import { shown } from './show.js';

// Hygiene: what a node says when it refuses gives nothing away (no stack, URL, SQL or file
// path), production nodes hide their schema, and the operation limits refuse a depth or
// alias attack before it costs the node anything.

/** Questions a partner gets wrong, each refused somehow; none of the refusals may show the node's insides. */
const BAD_QUESTIONS: { what: string; query: string; variables?: Record<string, unknown> }[] = [
  { what: 'a syntax error', query: '{ notices(first: 1) { id ' },
  { what: 'an unknown field', query: '{ notices(first: 1) { id secretColumn } }' },
  { what: 'a malformed id', query: '{ notice(id: "not an id") { id } }' },
  { what: 'an id with SQL in it', query: `{ notice(id: "X:1' or '1'='1") { id } }` },
  { what: 'a page out of range', query: '{ notices(first: 100000) { id } }' },
  { what: 'a variable of the wrong type', query: 'query ($n: Int) { notices(first: $n) { id } }', variables: { n: 'ten' } },
  { what: 'two operations and no operation name', query: 'query A { notices(first: 1) { id } } query B { cases(first: 1) { id } }' },
  {
    what: 'a bad entity representation',
    query: 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
    variables: { r: [{ __typename: 'Nope', id: 1 }] },
  },
  { what: 'a screening name that is empty', query: '{ screen(person: { name: "" }) { score } }' },
];

function leakOf(exchange: Exchange): string | undefined {
  return leakIn(textsOf(exchange.body, exchange.text))?.leak;
}

async function timed(kit: Kit, query: string): Promise<{ exchange: Exchange; ms: number }> {
  const started = performance.now();
  const exchange = await kit.client.post(query, undefined, await kit.as(kit.partners[0] ?? kit.callers[0]!));
  return { exchange, ms: performance.now() - started };
}

/** Refused: an error and no data, within `ms`. */
function refusedQuickly(exchange: Exchange, tookMs: number, withinMs: number): boolean {
  const body = graphqlBody(exchange);
  return (body.errors?.length ?? 0) > 0 && (body.data === undefined || body.data === null) && tookMs <= withinMs;
}

const ATTACK_BUDGET_MS = 2000;

export const HYGIENE_CHECKS: Check[] = [
  {
    name: 'hygiene.error-text',
    group: 'Hygiene',
    promise: 'a refusal says what to fix in words a partner can act on, and nothing of the node: no stack, URL, SQL or file path',
    async run(kit, fail) {
      for (const question of BAD_QUESTIONS) {
        const exchange = await kit.client.post(question.query, question.variables, await kit.as(kit.partners[0] ?? kit.callers[0]!));
        const leak = leakOf(exchange);
        if (leak) fail({ request: exchange.request, got: shown(exchange), contract: `${question.what} is refused without ${leak}` });
        if ((graphqlBody(exchange).errors?.length ?? 0) === 0) {
          fail({ request: exchange.request, got: shown(exchange), contract: `${question.what} is refused with an error` });
        }
      }
      return `${BAD_QUESTIONS.length} bad questions`;
    },
  },
  {
    name: 'hygiene.introspection',
    group: 'Hygiene',
    promise: 'a production node does not answer introspection',
    async run(kit, fail) {
      if (!kit.options.production) return { notRun: 'the node was not declared a production node (--production)' };
      const { exchange } = await timed(kit, '{ __schema { types { name } } }');
      if (graphqlBody(exchange).data?.__schema) fail({ request: exchange.request, got: shown(exchange), contract: this.promise });
    },
  },
  {
    name: 'hygiene.suggestions',
    group: 'Hygiene',
    promise: 'a production node does not suggest field names ("Did you mean ...")',
    async run(kit, fail) {
      if (!kit.options.production) return { notRun: 'the node was not declared a production node (--production)' };
      const { exchange } = await timed(kit, '{ notices(first: 1) { idd } }');
      if (/did you mean/i.test(exchange.text)) fail({ request: exchange.request, got: shown(exchange), contract: this.promise });
    },
  },
  {
    name: 'hygiene.depth-attack',
    group: 'Hygiene',
    promise: `a question nested 40 levels deep is refused, with no data, within ${ATTACK_BUDGET_MS} ms`,
    async run(kit, fail) {
      let selection = 'id';
      for (let level = 0; level < 20; level += 1) selection = `subject { notices { ${selection} } }`;
      const { exchange, ms } = await timed(kit, `{ notices(first: 100) { ${selection} } }`);
      if (!refusedQuickly(exchange, ms, ATTACK_BUDGET_MS))
        fail({ request: exchange.request, got: `${shown(exchange)} after ${Math.round(ms)} ms`, contract: this.promise });
    },
  },
  {
    name: 'hygiene.alias-attack',
    group: 'Hygiene',
    promise: `a question asking the same list under 500 aliases is refused, with no data, within ${ATTACK_BUDGET_MS} ms`,
    async run(kit, fail) {
      const fields = Array.from({ length: 500 }, (_, i) => `a${i}: notices(first: 100) { id title { text } subject { names { full } } }`);
      const { exchange, ms } = await timed(kit, `{ ${fields.join(' ')} }`);
      if (!refusedQuickly(exchange, ms, ATTACK_BUDGET_MS))
        fail({
          request: { ...exchange.request, query: `{ a0: notices(first: 100) { ... } ... a499: ... } (500 aliases)` },
          got: `${shown(exchange)} after ${Math.round(ms)} ms`,
          contract: this.promise,
        });
    },
  },
  {
    name: 'hygiene.every-answer',
    group: 'Hygiene',
    promise:
      'no answer of the whole run, refusal or not, shows a stack, an internal address, SQL or a file path (each text of each answer, read whole)',
    async run(kit, fail) {
      if (kit.client.scanned === 0) return { notRun: 'no other check ran: run it with them' };
      const reported = new Set<string>();
      for (const finding of kit.client.leaks) {
        if (reported.has(finding.leak)) continue;
        reported.add(finding.leak);
        fail({
          request: finding.request,
          got: `HTTP ${finding.status}, in the answer: ${finding.text}`,
          contract: `no answer shows ${finding.leak}`,
        });
      }
      return `${kit.client.scanned} answers read`;
    },
  },
];
