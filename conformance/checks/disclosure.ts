import { graphqlBody } from '../client.js';
import { recordsOf, type RecordKind } from '../dataset/format.js';
import { NAME_PARTS } from '../dataset/build.js';
import type { Caller, Check, Failure, Kit } from '../kit.js';
import { hitOnlyExtras, ROOT_FIELDS, SELECTIONS, type Level } from '../policy.js';
import { idOf, ids, levelsFor, observe, type Observation, type Seen, type Value } from './observe.js';
import { json, list, shown } from './show.js';

// Disclosure: for each caller of the matrix, every record of the data set comes back at the
// level the contract's policy gives (policy.ts, computed here from the data set and the
// directory), however it is asked for, and NONE records never appear anywhere, not even in
// counts, filters or screening. What a HIT_ONLY record and a link may carry: withholding.ts.

export type Fail = (failure: Failure) => void;

export const whom = (observation: { caller: Caller }) =>
  `to ${observation.caller.agency} (circles ${observation.caller.circles.join(', ') || 'none'})`;

export const sameIds = (got: string[] | undefined, wanted: string[]) => got !== undefined && got.join(' ') === [...wanted].sort().join(' ');

/** Checks one answer for one record against its expected level (and, in full, against the owner's labels). */
export function atLevel(kit: Kit, observation: Observation, localId: string, seen: Seen, how: string, fail: Fail): void {
  const level = observation.level(localId);
  const { value } = seen;
  const id = kit.globalId(localId);
  if (level === 'NONE') {
    if (value !== null || seen.errors.length > 0) {
      fail({
        request: seen.exchange.request,
        got: value === null ? seen.errors.join('; ') : json(value),
        contract: `${how} of ${id} is null ${whom(observation)}, without an error: the record is NONE to it, as if it did not exist`,
      });
    }
    return;
  }
  const expected = `${how} of ${id} is the record with disclosure ${level} ${whom(observation)}`;
  if (!value || value.id !== id || value.disclosure !== level) {
    fail({ request: seen.exchange.request, got: value ? json(value) : `null; the answer: ${shown(seen.exchange)}`, contract: expected });
    return;
  }
  const labels = kit.dataset.labels[localId]!;
  if (level === 'FULL' && (value.tlp !== labels.tlp || value.handling !== labels.handling)) {
    fail({
      request: seen.exchange.request,
      got: `${id}: tlp ${json(value.tlp)}, handling ${json(value.handling)}`,
      contract: `a record disclosed in full shows its owner's labels: tlp ${labels.tlp}, handling ${labels.handling}`,
    });
  }
}

/** Runs `each` for every caller's observation; fails a check that had nothing to look at. */
export async function forCallers(
  kit: Kit,
  fail: Fail,
  each: (observation: Observation) => number,
  callers: readonly Caller[] = kit.callers,
): Promise<string> {
  let examined = 0;
  for (const caller of callers) examined += each(await observe(kit, caller));
  if (examined === 0)
    fail({
      got: 'nothing to examine: the node answered none of the questions with a record',
      contract: 'the data set has records every caller may know of',
    });
  return `${examined} answers, ${callers.length} callers: ${callers.map((caller) => caller.agency).join(', ')}`;
}

/** Local ids that were never issued: a lookup of one must look exactly like one of a NONE record. */
const NEVER_ISSUED: Record<RecordKind, string> = { Notice: 'CN-999', Subject: 'CS-999', Case: 'CC-999' };

export const DISCLOSURE_CHECKS: Check[] = [
  {
    name: 'disclosure.lookups',
    group: 'Disclosure',
    promise:
      "notice(id:), subject(id:) and case(id:) give each record at its level (FULL with its owner's labels); a NONE record is null without an error, as an id never issued",
    async run(kit, fail) {
      const note = await forCallers(kit, fail, (observation) => {
        for (const [localId, seen] of observation.lookups) atLevel(kit, observation, localId, seen, 'a lookup', fail);
        return observation.lookups.size;
      });
      const fields = (Object.entries(NEVER_ISSUED) as [RecordKind, string][]).map(
        ([kind, localId]) => `${ROOT_FIELDS[kind].one}(id: "${kit.globalId(localId)}") { id }`,
      );
      for (const [index, field] of fields.entries()) {
        const exchange = await kit.client.post(`{ never${index}: ${field} }`, undefined, await kit.as(kit.partners[0] ?? kit.callers[0]!));
        const body = graphqlBody(exchange);
        if (body.data?.[`never${index}`] !== null || (body.errors?.length ?? 0) > 0) {
          fail({ request: exchange.request, got: shown(exchange), contract: 'a lookup of an id never issued is null, without an error' });
        }
      }
      return note;
    },
  },
  {
    name: 'disclosure.lists',
    group: 'Disclosure',
    promise:
      'notices, subjects and cases list exactly the records the caller may know of; notices and cases (ordered by withheld dates) list FULL ones first, then HIT_ONLY ones by id',
    run: (kit, fail) =>
      forCallers(kit, fail, (observation) => {
        const records = recordsOf(kit.dataset);
        let examined = 0;
        for (const [kind, { exchange, rows }] of observation.lists) {
          const wanted = records
            .filter((record) => record.kind === kind && observation.level(record.localId) !== 'NONE')
            .map((record) => kit.globalId(record.localId));
          const got = ids(rows);
          examined += got?.length ?? 0;
          if (!sameIds(got, wanted)) {
            const extra = (got ?? []).filter((id) => !wanted.includes(id));
            const missing = wanted.filter((id) => !(got ?? []).includes(id));
            fail({
              request: exchange.request,
              got: got
                ? `listed ${got.length}; not expected: ${list(extra) || 'none'}; missing: ${list(missing) || 'none'}`
                : shown(exchange),
              contract: `${kind} list ${whom(observation)}: the ${wanted.length} records it may know of, no others`,
            });
            continue;
          }
          for (const row of rows ?? []) {
            atLevel(
              kit,
              observation,
              idOf(row)!.slice(kit.node.agency.length + 1),
              { exchange, value: row, errors: [] },
              `the ${kind} list's entry`,
              fail,
            );
          }
          // Subjects are listed by id alone: a HIT_ONLY subject's place tells nothing it does not show.
          if (kind === 'Subject') continue;
          const levels = (rows ?? []).map((row) => row?.disclosure as Level);
          const firstHitOnly = levels.indexOf('HIT_ONLY');
          const tail = (rows ?? []).slice(firstHitOnly < 0 ? levels.length : firstHitOnly).map((row) => idOf(row)!);
          const byId = (ids: string[]) =>
            ids.every((id, i) => i === 0 || id >= ids[i - 1]!) || ids.every((id, i) => i === 0 || id <= ids[i - 1]!);
          if (levels.slice(firstHitOnly < 0 ? levels.length : firstHitOnly).includes('FULL') || !byId(tail)) {
            fail({
              request: exchange.request,
              got: `in list order: ${list(
                (rows ?? []).map((row) => `${idOf(row)} ${String(row?.disclosure)}`),
                100,
              )}`,
              contract: "FULL records first, then HIT_ONLY records by id: a HIT_ONLY record's place must not tell its withheld date",
            });
          }
        }
        return examined;
      }),
  },
  {
    name: 'disclosure.entities',
    group: 'Disclosure',
    promise: '_entities gives each record at its level, and null for a NONE record',
    run: (kit, fail) =>
      forCallers(kit, fail, (observation) => {
        for (const [localId, seen] of observation.entities) {
          if (seen.value === undefined)
            fail({ request: seen.exchange.request, got: shown(seen.exchange), contract: '_entities answers one entry per representation' });
          else atLevel(kit, observation, localId, seen, '_entities', fail);
        }
        return observation.entities.size;
      }),
  },
  {
    name: 'disclosure.claimed-circles',
    group: 'Disclosure',
    promise:
      "a token claiming circles the directory does not list for its agency gains nothing by them: the policy uses the directory's circles",
    async run(kit, fail) {
      const partner = kit.partners.find((caller) => kit.options.directory.circles.some((circle) => !caller.circles.includes(circle.code)));
      if (!partner) return { notRun: 'every partner of the matrix is in every circle of the directory' };
      const claimed = kit.options.directory.circles.map((circle) => circle.code);
      const levels = levelsFor(kit, partner);
      const boasted = levelsFor(kit, { ...partner, circles: claimed });
      if (!Object.keys(kit.dataset.labels).some((localId) => levels(localId) !== boasted(localId))) {
        return { notRun: `claiming every circle would change no level for ${partner.agency} in this data set and directory` };
      }
      const boasting: Caller = {
        ...kit.caller(partner.agency, ['officer'], 'claims'),
        claimedCircles: claimed,
      };
      return forCallers(
        kit,
        fail,
        (observation) => {
          for (const [localId, seen] of observation.lookups) atLevel(kit, observation, localId, seen, 'a lookup', fail);
          return observation.lookups.size;
        },
        [boasting],
      );
    },
  },
  {
    name: 'disclosure.filters',
    group: 'Disclosure',
    promise:
      "a filter on withheld content (a subject's name, a notice's status, a case's crime types or status) matches only records disclosed in full",
    async run(kit, fail) {
      let questions = 0;
      for (const caller of kit.callers) {
        const observation = await observe(kit, caller);
        const credentials = await kit.as(caller);
        const full = (localId: string) => observation.level(localId) === 'FULL';
        const ask = async (query: string, wanted: string[], what: string) => {
          questions += 1;
          const exchange = await kit.client.post(query, undefined, credentials);
          const got = ids(graphqlBody(exchange).data?.list);
          const globals = wanted.map((id) => kit.globalId(id));
          if (!sameIds(got, globals)) {
            fail({
              request: exchange.request,
              got: got ? `matched ${list(got) || 'none'}` : shown(exchange),
              contract: `${what} ${whom(observation)}: ${list(globals) || 'none'} (only records disclosed in full)`,
            });
          }
        };
        for (const part of NAME_PARTS) {
          const subjects = kit.dataset.subjects.filter((s) => s.names.some((name) => name.full.toLowerCase().includes(part.toLowerCase())));
          await ask(
            `{ list: subjects(first: 100, filter: { name: "${part.toLowerCase()}" }) { id } }`,
            subjects.map((s) => s.localId).filter(full),
            `subjects named "${part.toLowerCase()}"`,
          );
        }
        for (const status of ['ACTIVE', 'CANCELLED']) {
          const notices = kit.dataset.notices.filter((n) => n.status === status).map((n) => n.localId);
          await ask(
            `{ list: notices(first: 100, filter: { statuses: [${status}] }) { id } }`,
            notices.filter(full),
            `notices with status ${status}`,
          );
        }
        for (const crimeType of ['TELECOM_FRAUD', 'MONEY_LAUNDERING']) {
          const cases = kit.dataset.cases.filter((c) => (c.crimeTypes as string[]).includes(crimeType)).map((c) => c.localId);
          await ask(
            `{ list: cases(first: 100, filter: { crimeTypes: [${crimeType}] }) { id } }`,
            cases.filter(full),
            `cases of ${crimeType}`,
          );
        }
        const closed = kit.dataset.cases.filter((c) => c.status === 'CLOSED').map((c) => c.localId);
        await ask('{ list: cases(first: 100, filter: { statuses: [CLOSED] }) { id } }', closed.filter(full), 'closed cases');
      }
      return `${questions} filtered lists`;
    },
  },
  {
    name: 'disclosure.counts',
    group: 'Disclosure',
    promise: 'Agency.holdings counts only the records the caller may know of (FULL and HIT_ONLY)',
    async run(kit, fail) {
      for (const caller of kit.callers) {
        const observation = await observe(kit, caller);
        const exchange = await kit.client.post(
          'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { holdings { notices subjects cases } } } }',
          { r: [{ __typename: 'Agency', code: kit.node.agency }] },
          await kit.as(caller),
        );
        const entities = graphqlBody(exchange).data?._entities;
        const holdings = (Array.isArray(entities) ? ((entities[0] as Value)?.holdings ?? null) : null) as Record<string, unknown> | null;
        const count = (kind: RecordKind) =>
          recordsOf(kit.dataset).filter((r) => r.kind === kind && observation.level(r.localId) !== 'NONE').length;
        const wanted = { notices: count('Notice'), subjects: count('Subject'), cases: count('Case') };
        if (!holdings || holdings.notices !== wanted.notices || holdings.subjects !== wanted.subjects || holdings.cases !== wanted.cases) {
          fail({ request: exchange.request, got: shown(exchange), contract: `holdings ${whom(observation)}: ${json(wanted)}` });
        }
      }
      return `${kit.callers.length} callers`;
    },
  },
  {
    name: 'disclosure.screening',
    group: 'Disclosure',
    promise:
      'screening never hits a NONE subject; a hit carries its level; a HIT_ONLY hit carries no matched name, explanation or withheld field of its record; every FULL subject of the exact name is hit',
    async run(kit, fail) {
      let questions = 0;
      const persons = new Map<string, string[]>();
      for (const subject of kit.dataset.subjects) {
        const name = subject.names[0]!.full;
        persons.set(name, [...(persons.get(name) ?? []), subject.localId]);
      }
      for (const caller of kit.callers) {
        const observation = await observe(kit, caller);
        for (const [name, subjects] of persons) {
          questions += 1;
          const exchange = await kit.client.post(
            `query ($name: String!) { list: screen(person: { name: $name }, minScore: 0.8, first: 100) { score disclosure matchedName explanation { field } record { ... on Subject { ${SELECTIONS.Subject} } } } }`,
            { name },
            await kit.as(caller),
          );
          const hits = graphqlBody(exchange).data?.list as
            { disclosure?: string; matchedName?: unknown; explanation?: unknown; record?: Value }[] | undefined;
          if (!Array.isArray(hits)) {
            fail({ request: exchange.request, got: shown(exchange), contract: 'screen answers a list of hits' });
            continue;
          }
          for (const hit of hits) {
            const id = idOf(hit?.record ?? null) ?? '';
            const localId = id.startsWith(`${kit.node.agency}:`) ? id.slice(kit.node.agency.length + 1) : '';
            const level = kit.dataset.labels[localId] ? observation.level(localId) : undefined;
            const record = hit?.record ?? {};
            if (level === undefined || level === 'NONE' || hit.disclosure !== level) {
              fail({
                request: exchange.request,
                got: json(hit),
                contract: `hits ${whom(observation)} are subjects it may know of, at their level (${id || 'this record'}: ${level ?? 'not in the data set'})`,
              });
            } else if (
              level === 'HIT_ONLY' &&
              (hit.matchedName != null || hit.explanation != null || hitOnlyExtras('Subject', record as Value).length > 0)
            ) {
              fail({
                request: exchange.request,
                got: json(hit),
                contract:
                  "a HIT_ONLY hit carries only owner, id and score: matched name, explanation and the record's withheld fields are null",
              });
            }
          }
          const hitIds = new Set(hits.map((hit) => idOf(hit?.record ?? null)));
          const missed = subjects.filter((localId) => observation.level(localId) === 'FULL' && !hitIds.has(kit.globalId(localId)));
          if (missed.length > 0) {
            fail({
              request: exchange.request,
              got: `no hit for ${list(missed.map((id) => kit.globalId(id)))}`,
              contract: `screening "${name}" ${whom(observation)} hits every subject of that exact name it reads in full`,
            });
          }
        }
      }
      return `${questions} screenings`;
    },
  },
];
