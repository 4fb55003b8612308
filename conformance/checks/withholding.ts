import { graphqlBody } from '../client.js';
import type { RecordKind } from '../dataset/format.js';
import type { Check, Kit } from '../kit.js';
import { HIT_ONLY_FIELDS, hitOnlyExtras, linkShown, ROOT_FIELDS, SELECTIONS } from '../policy.js';
import { forCallers, sameIds, whom } from './disclosure.js';
import { answersOf, ids, levelsFor, LOOKUPS_PER_REQUEST, type Value } from './observe.js';
import { json, list, shown } from './show.js';

// What a record may carry at its level: a HIT_ONLY record only who holds it and what it is
// (asked with its level or without), owner-only fields nothing for a partner, and a link
// only when both its ends are disclosed in full, in every answer the kit was given.

const hitOnlyPromise = (kind: RecordKind) =>
  `a HIT_ONLY ${kind} carries only ${HIT_ONLY_FIELDS[kind].filter((field) => field !== '__typename').join(', ')}`;

/** Every field but the level: a node that withholds by looking at the asked level would show the withheld ones here. */
const WITHOUT_LEVEL = (kind: RecordKind) => SELECTIONS[kind].replace('__typename ', '').replace(' disclosure ', ' ');

/** The data set's links, by local id. */
function links(kit: Kit) {
  const noticesOf = new Map<string, string[]>();
  const casesOf = new Map<string, string[]>();
  for (const notice of kit.dataset.notices)
    noticesOf.set(notice.subjectLocalId, [...(noticesOf.get(notice.subjectLocalId) ?? []), notice.localId]);
  for (const record of kit.dataset.cases) {
    for (const { subjectLocalId } of record.subjects)
      casesOf.set(subjectLocalId, [...new Set([...(casesOf.get(subjectLocalId) ?? []), record.localId])]);
  }
  return { noticesOf, casesOf };
}

export const WITHHOLDING_CHECKS: Check[] = [
  {
    name: 'disclosure.hit-only-fields',
    group: 'Disclosure',
    promise: `a HIT_ONLY record carries only ${Object.entries(HIT_ONLY_FIELDS)
      .map(([kind, fields]) => `${kind} ${fields.filter((f) => f !== '__typename').join('/')}`)
      .join('; ')}; every other field is null, in lookups, lists and _entities`,
    run: (kit, fail) =>
      forCallers(
        kit,
        fail,
        (observation) => {
          let examined = 0;
          for (const { kind, localId, seen, value, how } of answersOf(kit, observation)) {
            if (observation.level(localId) !== 'HIT_ONLY' || !value) continue;
            examined += 1;
            const extras = hitOnlyExtras(kind, value);
            if (extras.length > 0)
              fail({
                request: seen.exchange.request,
                got: `${how}: ${json(value)}`,
                contract: `${hitOnlyPromise(kind)}; ${list(extras)} must be null`,
              });
          }
          return examined;
        },
        kit.partners,
      ),
  },
  {
    name: 'disclosure.hit-only-without-level',
    group: 'Disclosure',
    promise: 'a HIT_ONLY record asked for every field but its level (no disclosure, no __typename) still carries only its allowed fields',
    async run(kit, fail) {
      let examined = 0;
      for (const caller of kit.partners) {
        const observation = { caller };
        const level = levelsFor(kit, caller);
        const hitOnly = (['Notice', 'Subject', 'Case'] as RecordKind[]).flatMap((kind) =>
          (kind === 'Notice' ? kit.dataset.notices : kind === 'Subject' ? kit.dataset.subjects : kit.dataset.cases)
            .filter((record) => level(record.localId) === 'HIT_ONLY')
            .map((record) => ({ kind, localId: record.localId })),
        );
        for (let start = 0; start < hitOnly.length; start += LOOKUPS_PER_REQUEST) {
          const batch = hitOnly.slice(start, start + LOOKUPS_PER_REQUEST);
          const fields = batch.map(
            ({ kind, localId }, i) => `r${i}: ${ROOT_FIELDS[kind].one}(id: "${kit.globalId(localId)}") { ${WITHOUT_LEVEL(kind)} }`,
          );
          const exchange = await kit.client.post(`{ ${fields.join(' ')} }`, undefined, await kit.as(caller));
          const data = graphqlBody(exchange).data ?? {};
          batch.forEach(({ kind, localId }, i) => {
            const value = (data[`r${i}`] ?? null) as Value;
            examined += 1;
            const extras = hitOnlyExtras(kind, value);
            if (!value || value.id !== kit.globalId(localId) || extras.length > 0) {
              fail({
                request: exchange.request,
                got: value ? json(value) : `null; the answer: ${shown(exchange)}`,
                contract: `${kit.globalId(localId)} is HIT_ONLY ${whom(observation)}: ${hitOnlyPromise(kind)}, whatever else is asked`,
              });
            }
          });
        }
      }
      if (examined === 0) fail({ got: 'no HIT_ONLY record to ask for', contract: 'the data set has HIT_ONLY records for every partner' });
      return `${examined} HIT_ONLY records`;
    },
  },
  {
    name: 'disclosure.owner-only-fields',
    group: 'Disclosure',
    promise:
      "releasableTo and discoverable are for the owner's users: null with a FORBIDDEN error on the field for a partner, the labels for the owner",
    async run(kit, fail) {
      const samples = (['Notice', 'Subject', 'Case'] as RecordKind[]).map((kind) => {
        const records = kind === 'Notice' ? kit.dataset.notices : kind === 'Subject' ? kit.dataset.subjects : kit.dataset.cases;
        const record = records.find((candidate) => kit.dataset.labels[candidate.localId]!.tlp === 'CLEAR')!;
        return { kind, localId: record.localId, labels: kit.dataset.labels[record.localId]! };
      });
      for (const { kind, localId, labels } of samples) {
        const query = `query ($id: ID!) { one: ${ROOT_FIELDS[kind].one}(id: $id) { id releasableTo discoverable } }`;
        const variables = { id: kit.globalId(localId) };
        for (const caller of kit.partners) {
          const exchange = await kit.client.post(query, variables, await kit.as(caller));
          const body = graphqlBody(exchange);
          const one = body.data?.one as Value | undefined;
          for (const field of ['releasableTo', 'discoverable']) {
            const refused = (body.errors ?? []).some((error) => error.path?.at(-1) === field && error.extensions?.code === 'FORBIDDEN');
            if ((one && one[field] !== null && one[field] !== undefined) || !refused) {
              fail({
                request: exchange.request,
                got: shown(exchange),
                contract: `${field} of ${kit.globalId(localId)} is null for ${caller.agency}, with a FORBIDDEN error on the field`,
              });
            }
          }
        }
        const exchange = await kit.client.post(query, variables, await kit.as(kit.callers[0]!));
        const one = graphqlBody(exchange).data?.one as Value | undefined;
        const releasable = Array.isArray(one?.releasableTo) ? [...(one.releasableTo as string[])].sort() : undefined;
        if (!one || !sameIds(releasable, labels.releasableTo) || one.discoverable !== labels.discoverable) {
          fail({
            request: exchange.request,
            got: shown(exchange),
            contract: `the owner's users read the labels of ${kit.globalId(localId)}: releasableTo ${json(labels.releasableTo)}, discoverable ${labels.discoverable}`,
          });
        }
      }
      return `a notice, a subject and a case; ${kit.partners.length} partners and the owner`;
    },
  },
  {
    name: 'disclosure.links',
    group: 'Disclosure',
    promise:
      "a link is shown only when both its ends are FULL to the caller (a notice's subject, a subject's notices and cases, a case's subjects and participants), in lookups, lists and _entities",
    run: (kit, fail) =>
      forCallers(kit, fail, (observation) => {
        const { noticesOf, casesOf } = links(kit);
        const full = (localId: string) => observation.level(localId) === 'FULL';
        const notices = new Map(kit.dataset.notices.map((notice) => [notice.localId, notice]));
        const cases = new Map(kit.dataset.cases.map((record) => [record.localId, record]));
        let examined = 0;
        for (const { kind, localId, seen, value, how } of answersOf(kit, observation)) {
          if (!full(localId) || !value || value.disclosure !== 'FULL') continue;
          examined += 1;
          const check = (field: string, got: string[] | undefined, wanted: string[]) => {
            if (
              !sameIds(
                got,
                wanted.map((id) => kit.globalId(id)),
              )
            ) {
              fail({
                request: seen.exchange.request,
                got: `${how}: ${kit.globalId(localId)}.${field}: ${got ? list(got) || 'none' : 'null'}`,
                contract: `${field} of ${kit.globalId(localId)} ${whom(observation)}: ${list(wanted.map((id) => kit.globalId(id))) || 'none'} (the linked records it reads in full)`,
              });
            }
          };
          if (kind === 'Notice') {
            const subject = notices.get(localId)!.subjectLocalId;
            const linked = value.subject as Value;
            check('subject', linked === null ? [] : ids([linked]), linkShown('FULL', observation.level(subject)) ? [subject] : []);
          } else if (kind === 'Subject') {
            check('notices', ids(value.notices), (noticesOf.get(localId) ?? []).filter(full));
            check('cases', ids(value.cases), (casesOf.get(localId) ?? []).filter(full));
          } else {
            const linked = [...new Set(cases.get(localId)!.subjects.map((s) => s.subjectLocalId))].filter(full);
            check('subjects', ids(value.subjects), linked);
            const participants = Array.isArray(value.participants)
              ? (value.participants as { subject?: Value }[]).map((p) => p?.subject ?? null)
              : undefined;
            check('participants', participants ? [...new Set(ids(participants))] : undefined, linked);
          }
        }
        return examined;
      }),
  },
];
