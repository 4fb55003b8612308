import { graphqlBody } from '../client.js';
import type { Check } from '../kit.js';
import { ROOT_FIELDS } from '../policy.js';
import { json, shown } from './show.js';

// Sovereignty: a node speaks for its own agency only. It refuses ids of other agencies, even
// when it holds a record under the same local id, and every record it returns is its own.

/** Agencies whose prefix the kit puts on the data set's local ids: the first three other agencies of the directory. */
function otherAgencies(agency: string, codes: readonly string[]): string[] {
  return codes.filter((code) => code !== agency).slice(0, 3);
}

export const SOVEREIGNTY_CHECKS: Check[] = [
  {
    name: 'sovereignty.foreign-ids',
    group: 'Sovereignty',
    promise:
      'an id of another agency is refused (an error on the field, null), even when the node holds that local id; _entities answers it with null',
    async run(kit, fail) {
      const codes = otherAgencies(
        kit.node.agency,
        kit.options.directory.agencies.map((entry) => entry.code),
      );
      const samples = {
        Notice: kit.dataset.notices[0]!.localId,
        Subject: kit.dataset.subjects[0]!.localId,
        Case: kit.dataset.cases[0]!.localId,
      };
      let tried = 0;
      for (const other of codes) {
        for (const [kind, localId] of Object.entries(samples) as [keyof typeof samples, string][]) {
          const id = `${other}:${localId}`;
          const query = `query ($id: ID!) { record: ${ROOT_FIELDS[kind].one}(id: $id) { id agency { code } } }`;
          const exchange = await kit.client.post(query, { id }, await kit.as(kit.callers[0]!));
          const body = graphqlBody(exchange);
          tried += 1;
          if (body.data?.record != null || !(body.errors ?? []).some((error) => JSON.stringify(error.path) === '["record"]')) {
            fail({
              request: exchange.request,
              got: shown(exchange),
              contract: `${kind} ${id} belongs to ${other}: the field is null with an error`,
            });
          }
          const entities = await kit.client.post(
            `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${kind} { id } } }`,
            { r: [{ __typename: kind, id }] },
            await kit.as(kit.callers[0]!),
          );
          const answered = graphqlBody(entities).data?._entities as unknown[] | undefined;
          tried += 1;
          if (!Array.isArray(answered) || answered.length !== 1 || answered[0] !== null) {
            fail({ request: entities.request, got: shown(entities), contract: `_entities for ${id}, another agency's ${kind}: [null]` });
          }
        }
      }
      return `${tried} questions, ids of ${codes.join(', ')}`;
    },
  },
  {
    name: 'sovereignty.own-records',
    group: 'Sovereignty',
    promise: "every record a node returns is its own: agency.code is the node's agency and the id starts with it",
    async run(kit, fail) {
      let seen = 0;
      for (const caller of kit.callers) {
        const query = `{ notices(first: 100) { id agency { code } } subjects(first: 100) { id agency { code } } cases(first: 100) { id agency { code } } }`;
        const exchange = await kit.client.post(query, undefined, await kit.as(caller));
        const data = graphqlBody(exchange).data ?? {};
        for (const field of ['notices', 'subjects', 'cases']) {
          const rows = data[field];
          if (!Array.isArray(rows)) {
            fail({ request: exchange.request, got: shown(exchange), contract: `${field} is a list` });
            continue;
          }
          for (const row of rows as { id?: string; agency?: { code?: string } }[]) {
            seen += 1;
            if (row.agency?.code !== kit.node.agency || !row.id?.startsWith(`${kit.node.agency}:`)) {
              fail({
                request: exchange.request,
                got: json(row),
                contract: `records of ${kit.node.agency} only, ids ${kit.node.agency}:<local id>`,
              });
            }
          }
        }
      }
      if (seen === 0) fail({ got: 'no list held a record', contract: 'the data set has records every caller may know of' });
      return `${seen} records`;
    },
  },
];
