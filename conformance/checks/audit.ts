import { createHash } from 'node:crypto';
import { graphqlBody, type Exchange } from '../client.js';
import type { Caller, Check, Kit } from '../kit.js';
import { levelsFor, observe, answersOf } from './observe.js';
import { json, list, shown } from './show.js';

// Audit: every disclosure to another agency is in the owner's ledger, naming caller, purpose
// and records, by the time the answer arrives; and the ledger's hash chain verifies, walked
// here entry by entry (docs/audit.md, "Canonical encoding"), not only by the node's word.

export interface Entry {
  sequence: number;
  recordedAt: string;
  event: string;
  callerAgency: string;
  callerSubject: string;
  purpose: string;
  operation: string;
  recordIds: string[];
  disclosure: string | null;
  detail: string | null;
  previousHash: string;
  hash: string;
}

const ENTRY_FIELDS = 'sequence recordedAt event callerAgency callerSubject purpose operation recordIds disclosure detail previousHash hash';
const PAGE = 100;
const GENESIS = '0'.repeat(64);
/** The ledger the kit walks at most (a conformance store's ledger is a few hundred entries). */
const MAX_ENTRIES = 100_000;

const auditor = (kit: Kit): Caller => kit.caller(kit.node.agency, ['auditor']);

/** The owner's ledger after `after`, oldest first, read by its auditor: page after page until an empty one (a node may give fewer than asked). */
async function ledger(kit: Kit, after = 0): Promise<{ entries: Entry[]; failed?: Exchange; cut?: boolean }> {
  const entries: Entry[] = [];
  for (;;) {
    const exchange = await kit.client.post(
      `query ($agency: ID!, $after: Int!) { auditTrail(agency: $agency, first: ${PAGE}, after: $after) { ${ENTRY_FIELDS} } }`,
      { agency: kit.node.agency, after },
      await kit.as(auditor(kit)),
    );
    const page = graphqlBody(exchange).data?.auditTrail as Entry[] | undefined;
    if (!Array.isArray(page)) return { entries, failed: exchange };
    if (page.length === 0) return { entries };
    entries.push(...page);
    if (entries.length >= MAX_ENTRIES) return { entries, cut: true };
    const last = page.at(-1)?.sequence;
    // A node that pages backwards or in place would keep the kit here for ever.
    if (typeof last !== 'number' || last <= after) return { entries, failed: exchange };
    after = last;
  }
}

/** docs/audit.md: SHA-256 over the JSON array of the entry's fields; detail keys in the reference implementation's order. */
export function entryHash(entry: Entry): string {
  let detail: Record<string, unknown> | null;
  try {
    detail = entry.detail === null ? null : (JSON.parse(entry.detail) as Record<string, unknown>);
  } catch {
    return 'detail is not JSON';
  }
  // The reference's order: English collation, whatever the machine's locale (docs/conformance.md).
  const sorted = detail && Object.fromEntries(Object.entries(detail).sort(([a], [b]) => a.localeCompare(b, 'en')));
  const encoding = JSON.stringify([
    entry.sequence,
    entry.recordedAt,
    entry.event,
    entry.callerAgency,
    entry.callerSubject,
    entry.purpose,
    entry.operation,
    entry.recordIds,
    entry.disclosure,
    sorted,
    entry.previousHash,
  ]);
  return createHash('sha256').update(encoding).digest('hex');
}

const PROBE_PURPOSE = 'BORDER_CONTROL';

export const AUDIT_CHECKS: Check[] = [
  {
    name: 'audit.disclosures-recorded',
    group: 'Audit',
    promise: `every record disclosed to another agency is in the owner's ledger when the answer arrives, in a DISCLOSURE entry naming the caller's agency, subject and purpose`,
    async run(kit, fail) {
      const partner = kit.partners[0];
      if (!partner) return { notRun: 'no partner agency in the matrix' };
      const before = await ledger(kit);
      if (before.failed) {
        fail({
          request: before.failed.request,
          got: shown(before.failed),
          contract: "the owner's auditor reads its ledger with auditTrail",
        });
        return;
      }
      const head = before.entries.at(-1)?.sequence ?? 0;
      const probe = kit.caller(partner.agency, ['officer'], 'audit-probe');
      const credentials = await kit.as(probe, PROBE_PURPOSE);
      const questions: [string, Record<string, unknown>?][] = [
        ['{ list: notices(first: 100) { id } }'],
        [
          'query ($name: String) { list: subjects(first: 100, filter: { name: $name }) { id } }',
          { name: kit.dataset.subjects[0]!.names[0]!.full.split(' ').at(-1)!.toLowerCase() },
        ],
        ['query ($id: ID!) { one: case(id: $id) { id } }', { id: kit.globalId(kit.dataset.cases.at(-1)!.localId) }],
      ];
      const disclosed = new Map<string, Exchange>();
      for (const [query, variables] of questions) {
        const exchange = await kit.client.post(query, variables, credentials);
        const data = graphqlBody(exchange).data ?? {};
        const records = [...(Array.isArray(data.list) ? data.list : []), ...(data.one ? [data.one] : [])] as { id?: string }[];
        for (const record of records) if (record.id) disclosed.set(record.id, exchange);
        // Read at once: the entry must be written before the answer leaves the node.
        const { entries } = await ledger(kit, head);
        const recorded = new Set(
          entries.filter((entry) => entry.event === 'DISCLOSURE' && entry.callerSubject === probe.sub).flatMap((entry) => entry.recordIds),
        );
        const missing = records.map((record) => record.id!).filter((id) => !recorded.has(id));
        if (missing.length > 0) {
          fail({ request: exchange.request, got: `not in the ledger right after the answer: ${list(missing)}`, contract: this.promise });
        }
      }
      const { entries } = await ledger(kit, head);
      const mine = entries.filter((entry) => entry.callerSubject === probe.sub);
      const level = levelsFor(kit, probe);
      for (const entry of mine) {
        const local = (id: string) => (id.startsWith(`${kit.node.agency}:`) ? id.slice(kit.node.agency.length + 1) : '');
        const wrong = (entry.recordIds ?? []).filter((id) => !kit.dataset.labels[local(id)] || level(local(id)) !== entry.disclosure);
        if (wrong.length > 0) {
          fail({
            got: json(entry),
            contract: `an entry records each record at the level it was disclosed at: not ${entry.disclosure} for ${list(wrong)}`,
          });
        }
        if (
          entry.event !== 'DISCLOSURE' ||
          entry.callerAgency !== probe.agency ||
          entry.purpose !== PROBE_PURPOSE ||
          !['FULL', 'HIT_ONLY'].includes(String(entry.disclosure))
        ) {
          fail({
            got: json(entry),
            contract: `an entry for this disclosure names ${probe.agency}, ${probe.sub}, purpose ${PROBE_PURPOSE} and its level`,
          });
        }
      }
      if (disclosed.size === 0)
        fail({ got: 'the probe questions disclosed nothing', contract: 'the data set has records every partner may know of' });
      return `${disclosed.size} records disclosed, ${mine.length} entries`;
    },
  },
  {
    name: 'audit.every-disclosure',
    group: 'Audit',
    promise:
      "every record the run's partners were given (lookups, lists, _entities) is in a DISCLOSURE entry of theirs, at the level it was given at",
    async run(kit, fail) {
      // What each partner was given first (read now unless the disclosure checks did), then the ledger.
      const observations = await Promise.all(kit.partners.map((partner) => observe(kit, partner)));
      const { entries, failed } = await ledger(kit);
      if (failed) {
        fail({ request: failed.request, got: shown(failed), contract: "the owner's auditor reads its ledger with auditTrail" });
        return;
      }
      let given = 0;
      for (const [index, partner] of kit.partners.entries()) {
        const recorded = new Set(
          entries
            .filter((entry) => entry.event === 'DISCLOSURE' && entry.callerSubject === partner.sub && entry.callerAgency === partner.agency)
            .flatMap((entry) => (entry.recordIds ?? []).map((id) => `${id} ${entry.disclosure}`)),
        );
        const missing = new Set<string>();
        for (const { value } of answersOf(kit, observations[index]!)) {
          if (!value || typeof value.id !== 'string') continue;
          given += 1;
          const key = `${value.id} ${String(value.disclosure)}`;
          if (!recorded.has(key)) missing.add(key);
        }
        if (missing.size > 0)
          fail({ got: `${partner.agency} (${partner.sub}) was given, unrecorded: ${list(missing)}`, contract: this.promise });
      }
      if (given === 0) fail({ got: 'no partner was given a record', contract: 'the data set has records every partner may know of' });
      return `${given} records given to ${kit.partners.length} partners`;
    },
  },
  {
    name: 'audit.ledger-owner-only',
    group: 'Audit',
    promise:
      "the ledger is for the owner's auditors only: a partner's auditor and the owner's officer get FORBIDDEN and nothing of auditTrail or verifyAuditTrail",
    async run(kit, fail) {
      const askers = [
        ...kit.partners.slice(0, 1).map((partner) => kit.caller(partner.agency, ['auditor'])),
        kit.caller(kit.node.agency, ['officer']),
      ];
      const questions: [string, string][] = [
        ['auditTrail', 'query ($agency: ID!) { answer: auditTrail(agency: $agency, first: 5) { sequence callerAgency recordIds } }'],
        ['verifyAuditTrail', 'query ($agency: ID!) { answer: verifyAuditTrail(agency: $agency) { ok length head } }'],
      ];
      for (const asker of askers) {
        for (const [field, query] of questions) {
          const exchange = await kit.client.post(query, { agency: kit.node.agency }, await kit.as(asker));
          const body = graphqlBody(exchange);
          const answer = body.data?.answer;
          const empty = answer === null || answer === undefined || (Array.isArray(answer) && answer.length === 0);
          if (!empty || !(body.errors ?? []).some((error) => error.extensions?.code === 'FORBIDDEN')) {
            fail({
              request: exchange.request,
              got: shown(exchange),
              contract: `${asker.agency} ${asker.roles.join(', ')} is refused ${field} of the owner's ledger: FORBIDDEN, nothing of it`,
            });
          }
        }
      }
      return `${askers.length} callers refused`;
    },
  },
  {
    name: 'audit.chain',
    group: 'Audit',
    promise:
      'the ledger is a hash chain: sequence 1, 2, 3 ... without gaps, each previousHash the hash before, each hash the SHA-256 of its canonical encoding; verifyAuditTrail says ok',
    async run(kit, fail) {
      const { entries, failed, cut } = await ledger(kit);
      if (failed) {
        fail({ request: failed.request, got: shown(failed), contract: "the owner's auditor reads its ledger with auditTrail" });
        return;
      }
      if (entries.length === 0) {
        fail({ got: 'the ledger is empty after the disclosures of this run', contract: this.promise });
        return;
      }
      let previous = GENESIS;
      for (const [index, entry] of entries.entries()) {
        const problem =
          entry.sequence !== index + 1
            ? `sequence ${entry.sequence} where ${index + 1} was due`
            : entry.previousHash !== previous
              ? `entry ${entry.sequence}: previousHash is not the hash of entry ${entry.sequence - 1}`
              : entryHash(entry) !== entry.hash
                ? `entry ${entry.sequence}: hash is not the SHA-256 of its canonical encoding`
                : undefined;
        if (problem) {
          fail({ got: `${problem}: ${json(entry)}`, contract: this.promise });
          break;
        }
        previous = entry.hash;
      }
      const exchange = await kit.client.post(
        'query ($agency: ID!) { verifyAuditTrail(agency: $agency) { ok length head } }',
        { agency: kit.node.agency },
        await kit.as(auditor(kit)),
      );
      const verification = graphqlBody(exchange).data?.verifyAuditTrail as { ok?: boolean; length?: number; head?: string } | undefined;
      // Entries may have been added since the walk (the node's own traffic): its length is at least the walk's, and its head the walk's last hash when no entry was.
      const sameLength = verification?.length === entries.length;
      if (
        verification?.ok !== true ||
        typeof verification.length !== 'number' ||
        verification.length < entries.length ||
        (sameLength && verification.head !== previous)
      ) {
        fail({
          request: exchange.request,
          got: shown(exchange),
          contract: `verifyAuditTrail ok over at least the ${entries.length} entries read, its head the last one's hash (${previous})`,
        });
      }
      return `${entries.length} entries walked${cut ? ` (the first ${MAX_ENTRIES} only)` : ''}`;
    },
  },
];
