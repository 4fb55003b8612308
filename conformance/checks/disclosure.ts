import { graphqlBody } from '../client.js';
import { recordsOf, type RecordKind } from '../dataset/format.js';
import { NAME_PARTS } from '../dataset/build.js';
import type { Check, Failure, Kit } from '../kit.js';
import { HIT_ONLY_FIELDS, linkShown, type Level } from '../policy.js';
import { observe, type Observation, type Seen, type Value } from './observe.js';
import { list, shown } from './show.js';

// Disclosure: for each caller of the matrix, every record of the data set comes back at the
// level the contract's policy gives (policy.ts, computed here from the data set and the
// directory), HIT_ONLY records carry nothing beyond their allowed fields, NONE records never
// appear anywhere, and links follow the stricter end.

type Fail = (failure: Failure) => void;

const idOf = (value: Value) => (value && typeof value.id === 'string' ? value.id : undefined);
const ids = (values: unknown) =>
  Array.isArray(values)
    ? (values as Value[])
        .map(idOf)
        .filter((id): id is string => id !== undefined)
        .sort()
    : undefined;
const whom = (observation: Observation) => `to ${observation.caller.agency} (circles ${observation.caller.circles.join(', ') || 'none'})`;

/** Checks one answer for one record against its expected level. */
function atLevel(kit: Kit, observation: Observation, localId: string, seen: Seen, how: string, fail: Fail): void {
  const level = observation.level(localId);
  const { value } = seen;
  const expected =
    level === 'NONE'
      ? `${how} of ${kit.globalId(localId)} is null ${whom(observation)}: the record is NONE to it, as if it did not exist`
      : `${how} of ${kit.globalId(localId)} is the record with disclosure ${level} ${whom(observation)}`;
  if (level === 'NONE') {
    if (value !== null || seen.errors.length > 0)
      fail({
        request: seen.exchange.request,
        got: value === null ? seen.errors.join('; ') : JSON.stringify(value),
        contract: `${expected}, without an error`,
      });
    return;
  }
  if (!value || value.id !== kit.globalId(localId) || value.disclosure !== level) {
    fail({
      request: seen.exchange.request,
      got: value ? JSON.stringify(value) : `null; the answer: ${shown(seen.exchange)}`,
      contract: expected,
    });
  }
}

function hitOnlyExtras(kind: RecordKind, value: Value): string[] {
  if (!value) return [];
  return Object.entries(value)
    .filter(([field, content]) => !HIT_ONLY_FIELDS[kind].includes(field) && content !== null)
    .map(([field]) => field);
}

const kindOf = (kit: Kit) => new Map(recordsOf(kit.dataset).map((record) => [record.localId, record.kind]));

/** Runs `each` for every partner's observation (the owner's own reads are checked where they differ). */
async function forCallers(kit: Kit, each: (observation: Observation) => void, owner = true): Promise<string> {
  const callers = owner ? kit.callers : kit.partners;
  for (const caller of callers) each(await observe(kit, caller));
  return `${callers.length} callers: ${callers.map((caller) => caller.agency).join(', ')}`;
}

/** The data set's links, by local id. */
function links(kit: Kit) {
  const noticesOf = new Map<string, string[]>();
  const casesOf = new Map<string, string[]>();
  for (const notice of kit.dataset.notices)
    noticesOf.set(notice.subjectLocalId, [...(noticesOf.get(notice.subjectLocalId) ?? []), notice.localId]);
  for (const record of kit.dataset.cases) {
    for (const { subjectLocalId } of record.subjects) casesOf.set(subjectLocalId, [...(casesOf.get(subjectLocalId) ?? []), record.localId]);
  }
  return { noticesOf, casesOf };
}

const sameIds = (got: string[] | undefined, wanted: string[]) => got !== undefined && got.join(' ') === [...wanted].sort().join(' ');

export const DISCLOSURE_CHECKS: Check[] = [
  {
    name: 'disclosure.lookups',
    group: 'Disclosure',
    promise: 'notice(id:), subject(id:) and case(id:) give each record at its level; a NONE record is null, without an error',
    run: (kit, fail) =>
      forCallers(kit, (observation) => {
        for (const [localId, seen] of observation.lookups) atLevel(kit, observation, localId, seen, 'a lookup', fail);
      }),
  },
  {
    name: 'disclosure.hit-only-fields',
    group: 'Disclosure',
    promise: `a HIT_ONLY record carries only ${Object.entries(HIT_ONLY_FIELDS)
      .map(([kind, fields]) => `${kind} ${fields.filter((f) => f !== '__typename').join('/')}`)
      .join('; ')}; every other field is null`,
    run: (kit, fail) =>
      forCallers(
        kit,
        (observation) => {
          const kinds = kindOf(kit);
          const answers: [string, Seen | undefined, Value | undefined][] = [];
          for (const [localId, seen] of observation.lookups) answers.push([localId, seen, seen.value]);
          for (const [localId, seen] of observation.entities) answers.push([localId, seen, seen.value]);
          for (const [kind, { exchange, rows }] of observation.lists) {
            for (const row of rows ?? []) {
              const localId = idOf(row)?.split(':').slice(1).join(':');
              if (localId && kinds.get(localId) === kind) answers.push([localId, { exchange, value: row, errors: [] }, row]);
            }
          }
          for (const [localId, seen, value] of answers) {
            if (observation.level(localId) !== 'HIT_ONLY' || !value || value.disclosure !== 'HIT_ONLY') continue;
            const extras = hitOnlyExtras(kinds.get(localId)!, value);
            if (extras.length > 0) {
              fail({
                request: seen?.exchange.request,
                got: `${kit.globalId(localId)}: ${JSON.stringify(value)}`,
                contract: `${hitOnlyPromise(kinds.get(localId)!)}; ${list(extras)} must be null`,
              });
            }
          }
        },
        false,
      ),
  },
  {
    name: 'disclosure.lists',
    group: 'Disclosure',
    promise:
      'notices, subjects and cases list exactly the records the caller may know of (FULL and HIT_ONLY); notices and cases, ordered by withheld dates, list FULL ones first',
    run: (kit, fail) =>
      forCallers(kit, (observation) => {
        const records = recordsOf(kit.dataset);
        for (const [kind, { exchange, rows }] of observation.lists) {
          const visible = records.filter((record) => record.kind === kind && observation.level(record.localId) !== 'NONE');
          const wanted = visible.map((record) => kit.globalId(record.localId));
          const got = ids(rows);
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
          const levels = (rows ?? []).map((row) => row?.disclosure as Level);
          const firstHitOnly = levels.indexOf('HIT_ONLY');
          // Subjects are listed by id alone: a HIT_ONLY subject's place tells nothing it does not show.
          if (kind !== 'Subject' && firstHitOnly >= 0 && levels.slice(firstHitOnly).includes('FULL')) {
            fail({
              request: exchange.request,
              got: `disclosures in list order: ${levels.join(' ')}`,
              contract: `FULL records before HIT_ONLY ones (a HIT_ONLY record's place must not tell its withheld date)`,
            });
          }
          for (const row of rows ?? []) {
            const localId = idOf(row)!.slice(kit.node.agency.length + 1);
            atLevel(kit, observation, localId, { exchange, value: row, errors: [] }, `the ${kind} list's entry`, fail);
          }
        }
      }),
  },
  {
    name: 'disclosure.entities',
    group: 'Disclosure',
    promise: '_entities gives each record at its level, and null for a NONE record',
    run: (kit, fail) =>
      forCallers(kit, (observation) => {
        for (const [localId, seen] of observation.entities) {
          if (seen.value === undefined)
            fail({ request: seen.exchange.request, got: shown(seen.exchange), contract: '_entities answers one entry per representation' });
          else atLevel(kit, observation, localId, seen, '_entities', fail);
        }
      }),
  },
  {
    name: 'disclosure.links',
    group: 'Disclosure',
    promise:
      "a link is shown only when both its ends are FULL to the caller: a notice's subject, a subject's notices and cases, a case's subjects and participants",
    run: (kit, fail) =>
      forCallers(kit, (observation) => {
        const { noticesOf, casesOf } = links(kit);
        const full = (localId: string) => observation.level(localId) === 'FULL';
        const check = (localId: string, field: string, got: string[] | undefined, wanted: string[], seen: Seen) => {
          if (
            !sameIds(
              got,
              wanted.map((id) => kit.globalId(id)),
            )
          ) {
            fail({
              request: seen.exchange.request,
              got: `${kit.globalId(localId)}.${field}: ${got ? list(got) || 'none' : 'null'}`,
              contract: `${field} of ${kit.globalId(localId)} ${whom(observation)}: ${list(wanted.map((id) => kit.globalId(id))) || 'none'} (the linked records it reads in full)`,
            });
          }
        };
        for (const notice of kit.dataset.notices) {
          const seen = observation.lookups.get(notice.localId)!;
          if (!full(notice.localId) || !seen.value) continue;
          const subject = seen.value.subject as Value;
          const wanted = linkShown('FULL', observation.level(notice.subjectLocalId)) ? [notice.subjectLocalId] : [];
          check(notice.localId, 'subject', subject ? [idOf(subject)!] : [], wanted, seen);
        }
        for (const subject of kit.dataset.subjects) {
          const seen = observation.lookups.get(subject.localId)!;
          if (!full(subject.localId) || !seen.value) continue;
          check(subject.localId, 'notices', ids(seen.value.notices), (noticesOf.get(subject.localId) ?? []).filter(full), seen);
          check(subject.localId, 'cases', ids(seen.value.cases), [...new Set(casesOf.get(subject.localId) ?? [])].filter(full), seen);
        }
        for (const record of kit.dataset.cases) {
          const seen = observation.lookups.get(record.localId)!;
          if (!full(record.localId) || !seen.value) continue;
          const linked = [...new Set(record.subjects.map((s) => s.subjectLocalId))].filter(full);
          check(record.localId, 'subjects', ids(seen.value.subjects), linked, seen);
          const participants = Array.isArray(seen.value.participants)
            ? (seen.value.participants as { subject?: Value }[]).map((p) => idOf(p.subject ?? null))
            : undefined;
          check(
            record.localId,
            'participants',
            participants ? [...new Set(participants.filter((id): id is string => id !== undefined))].sort() : undefined,
            linked,
            seen,
          );
        }
      }),
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
          const notices = kit.dataset.notices
            .filter((n) => n.status === status)
            .map((n) => n.localId)
            .filter(full);
          await ask(`{ list: notices(first: 100, filter: { statuses: [${status}] }) { id } }`, notices, `notices with status ${status}`);
        }
        for (const crimeType of ['TELECOM_FRAUD', 'MONEY_LAUNDERING']) {
          const cases = kit.dataset.cases
            .filter((c) => (c.crimeTypes as string[]).includes(crimeType))
            .map((c) => c.localId)
            .filter(full);
          await ask(`{ list: cases(first: 100, filter: { crimeTypes: [${crimeType}] }) { id } }`, cases, `cases of ${crimeType}`);
        }
        const closed = kit.dataset.cases
          .filter((c) => c.status === 'CLOSED')
          .map((c) => c.localId)
          .filter(full);
        await ask('{ list: cases(first: 100, filter: { statuses: [CLOSED] }) { id } }', closed, 'closed cases');
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
        const holdings = ((graphqlBody(exchange).data?._entities as Value[] | undefined)?.[0]?.holdings ?? null) as Record<
          string,
          unknown
        > | null;
        const count = (kind: RecordKind) =>
          recordsOf(kit.dataset).filter((r) => r.kind === kind && observation.level(r.localId) !== 'NONE').length;
        const wanted = { notices: count('Notice'), subjects: count('Subject'), cases: count('Case') };
        if (!holdings || holdings.notices !== wanted.notices || holdings.subjects !== wanted.subjects || holdings.cases !== wanted.cases) {
          fail({ request: exchange.request, got: shown(exchange), contract: `holdings ${whom(observation)}: ${JSON.stringify(wanted)}` });
        }
      }
      return `${kit.callers.length} callers`;
    },
  },
  {
    name: 'disclosure.screening',
    group: 'Disclosure',
    promise:
      'screening never hits a NONE subject; a hit carries its level; a HIT_ONLY hit carries no matched name or explanation; every FULL subject of the exact name is hit',
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
            'query ($name: String!) { list: screen(person: { name: $name }, minScore: 0.8, first: 100) { score disclosure matchedName explanation { field } record { ... on Subject { id } } } }',
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
            const id = idOf(hit.record ?? null) ?? '';
            const localId = id.slice(kit.node.agency.length + 1);
            const level = kit.dataset.labels[localId] ? observation.level(localId) : undefined;
            if (level === undefined || level === 'NONE' || hit.disclosure !== level) {
              fail({
                request: exchange.request,
                got: JSON.stringify(hit),
                contract: `hits ${whom(observation)} are subjects it may know of, at their level (${id || 'this record'}: ${level ?? 'not in the data set'})`,
              });
            } else if (level === 'HIT_ONLY' && (hit.matchedName != null || hit.explanation != null)) {
              fail({
                request: exchange.request,
                got: JSON.stringify(hit),
                contract: 'a HIT_ONLY hit carries only owner, id and score: matchedName and explanation are null',
              });
            }
          }
          const hitIds = new Set(hits.map((hit) => idOf(hit.record ?? null)));
          const missed = subjects.filter((localId) => observation.level(localId) === 'FULL' && !hitIds.has(kit.globalId(localId)));
          if (missed.length > 0)
            fail({
              request: exchange.request,
              got: `no hit for ${list(missed.map((id) => kit.globalId(id)))}`,
              contract: `screening "${name}" ${whom(observation)} hits every subject of that exact name it reads in full`,
            });
        }
      }
      return `${questions} screenings`;
    },
  },
];

function hitOnlyPromise(kind: RecordKind): string {
  return `a HIT_ONLY ${kind} carries only ${HIT_ONLY_FIELDS[kind].filter((field) => field !== '__typename').join(', ')}`;
}
