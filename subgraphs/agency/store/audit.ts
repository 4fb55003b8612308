import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { shapedStatement } from './shaped-statement.js';
import type { RecordStore } from './store.js';
import type { AuditLedgerTable, Tables } from './tables.js';

// The owner's append-only, hash-chained ledger. Each entry's hash is SHA-256 over the
// canonical encoding of its fields and the previous entry's hash (docs/audit.md), so a
// changed, deleted or reordered entry breaks the chain at the first bad sequence number.

export const GENESIS_HASH = '0'.repeat(64);

export type AuditEvent = 'DISCLOSURE' | 'ACCESS_REQUESTED' | 'ACCESS_APPROVED' | 'ACCESS_DENIED';

export interface NewAuditEntry {
  event: AuditEvent;
  callerAgency: string;
  callerSub: string;
  purpose: string;
  operation: string;
  /** Global record ids (`<AGENCY>:<local id>`). */
  recordIds: string[];
  disclosure: 'FULL' | 'HIT_ONLY' | null;
  /** Event-specific facts, e.g. the access request id and decision. */
  detail: Record<string, string | null> | null;
}

export interface LedgerEntry extends Omit<NewAuditEntry, 'detail'> {
  sequence: number;
  recordedAt: string;
  detail: Record<string, string | null> | null;
  previousHash: string;
  hash: string;
}

export interface ChainVerification {
  ok: boolean;
  length: number;
  /** Hash of the last entry (the genesis hash for an empty ledger). */
  head: string;
  firstBadSequence: number | null;
}

/**
 * The canonical encoding hashed for an entry: a JSON array of its fields in this fixed
 * order, with record ids as an array and detail keys sorted.
 */
export function canonicalEncoding(entry: Omit<LedgerEntry, 'hash'>): string {
  // English collation, named: without a locale the order would follow the machine's (LANG), and
  // a ledger written under one locale would not verify under another. For the ASCII letter keys
  // entries use, it is the order every ledger so far was written in (docs/audit.md).
  const detail = entry.detail ? Object.fromEntries(Object.entries(entry.detail).sort(([a], [b]) => a.localeCompare(b, 'en'))) : null;
  return JSON.stringify([
    entry.sequence,
    entry.recordedAt,
    entry.event,
    entry.callerAgency,
    entry.callerSub,
    entry.purpose,
    entry.operation,
    entry.recordIds,
    entry.disclosure,
    detail,
    entry.previousHash,
  ]);
}

export function entryHash(entry: Omit<LedgerEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalEncoding(entry)).digest('hex');
}

// Shaped (shaped-statement.ts): every request that discloses a record appends, so these two
// are compiled once, not per request.
const ledgerHead = shapedStatement((db: Kysely<Tables>, _: Record<string, never>) =>
  db.selectFrom('auditLedger').select(['sequence', 'hash']).orderBy('sequence', 'desc').limit(1),
);
const appendRows = shapedStatement((db: Kysely<Tables>, { rows }: { rows: AuditLedgerTable[] }) =>
  db.insertInto('auditLedger').values(rows),
);

export class AuditLedger {
  constructor(private readonly store: RecordStore) {}

  /** Appends entries in order, in one transaction; throws (and appends nothing) if it cannot. */
  async append(entries: readonly NewAuditEntry[]): Promise<LedgerEntry[]> {
    if (entries.length === 0) return [];
    return this.store.writeTransaction((trx) => this.appendIn(trx, entries));
  }

  /** Appends within a caller's transaction, so an event and its entry commit together. */
  async appendIn(trx: Kysely<Tables>, entries: readonly NewAuditEntry[]): Promise<LedgerEntry[]> {
    // One writer at a time: on PostgreSQL concurrent transactions would otherwise read the
    // same head and fork the chain. On SQLite the caller's writeTransaction holds the write lock.
    if (this.store.dialect === 'postgres') await sql`lock table audit_ledger in exclusive mode`.execute(trx);
    const [head] = await ledgerHead(trx, {});
    let sequence = head?.sequence ?? 0;
    let previousHash = head?.hash ?? GENESIS_HASH;
    const recordedAt = new Date().toISOString();
    const written: LedgerEntry[] = [];
    for (const entry of entries) {
      sequence += 1;
      const unsigned = { ...entry, sequence, recordedAt, previousHash };
      const full = { ...unsigned, hash: entryHash(unsigned) };
      written.push(full);
      previousHash = full.hash;
    }
    await appendRows(trx, { rows: written.map(toRow) });
    return written;
  }

  /**
   * How many records the ledger says were disclosed in a period, by month, partner and level
   * (docs/cooperation.md): to one partner, or (for the owner's own users) to all of them.
   * `toExclusive` is the day after the period.
   */
  async disclosureCounts(
    period: { from: string; toExclusive: string },
    callerAgency: string | null,
  ): Promise<{ month: string; partner: string; disclosure: 'FULL' | 'HIT_ONLY'; records: number }[]> {
    // record_ids is JSON text on both dialects; each entry lists the records it disclosed.
    const records =
      this.store.dialect === 'postgres'
        ? sql<number>`sum(json_array_length(record_ids::json))`
        : sql<number>`sum(json_array_length(record_ids))`;
    let select = this.store.db
      .selectFrom('auditLedger')
      .select([sql<string>`substr(recorded_at, 1, 7)`.as('month'), 'callerAgency', 'disclosure', records.as('records')])
      .where('event', '=', 'DISCLOSURE')
      .where('recordedAt', '>=', period.from)
      .where('recordedAt', '<', period.toExclusive);
    if (callerAgency) select = select.where('callerAgency', '=', callerAgency);
    const rows = await select.groupBy([sql`substr(recorded_at, 1, 7)`, 'callerAgency', 'disclosure']).execute();
    return rows
      .filter((row) => row.disclosure === 'FULL' || row.disclosure === 'HIT_ONLY')
      .map((row) => ({
        month: row.month,
        partner: row.callerAgency,
        disclosure: row.disclosure as 'FULL' | 'HIT_ONLY',
        records: Number(row.records),
      }));
  }

  /** Entries after `after` (a sequence number), oldest first. */
  async entries(first: number, after = 0): Promise<LedgerEntry[]> {
    const rows = await this.store.db
      .selectFrom('auditLedger')
      .selectAll()
      .where('sequence', '>', after)
      .orderBy('sequence')
      .limit(first)
      .execute();
    return rows.map(fromRow);
  }

  /** The entry hashes after sequence `after` up to `upTo`, in order (what witnesses check heads with). */
  async entryHashes(after: number, upTo: number): Promise<{ sequence: number; hash: string }[]> {
    const rows = await this.store.db
      .selectFrom('auditLedger')
      .select(['sequence', 'hash'])
      .where('sequence', '>', after)
      .where('sequence', '<=', upTo)
      .orderBy('sequence')
      .execute();
    return rows.map((row) => ({ sequence: Number(row.sequence), hash: row.hash }));
  }

  /** Walks the whole chain; reports the first entry whose sequence, link or hash is wrong. */
  async verify(): Promise<ChainVerification> {
    let expected = 1;
    let previousHash = GENESIS_HASH;
    let firstBadSequence: number | null = null;
    let length = 0;
    const page = 1000;
    for (;;) {
      const batch = await this.store.db
        .selectFrom('auditLedger')
        .selectAll()
        .where('sequence', '>=', expected)
        .orderBy('sequence')
        .limit(page)
        .execute();
      for (const row of batch) {
        length += 1;
        if (firstBadSequence !== null) continue;
        const entry = parseRow(row);
        if (row.sequence !== expected || !entry || entry.previousHash !== previousHash || entryHash(entry) !== row.hash) {
          firstBadSequence = expected;
        }
        previousHash = row.hash;
        expected = row.sequence + 1;
      }
      if (batch.length < page || firstBadSequence !== null) {
        if (firstBadSequence !== null) length = await this.count();
        return { ok: firstBadSequence === null, length, head: previousHash, firstBadSequence };
      }
    }
  }

  private async count(): Promise<number> {
    const row = await this.store.db
      .selectFrom('auditLedger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toRow(entry: LedgerEntry): AuditLedgerTable {
  return {
    sequence: entry.sequence,
    recordedAt: entry.recordedAt,
    event: entry.event,
    callerAgency: entry.callerAgency,
    callerSub: entry.callerSub,
    purpose: entry.purpose,
    operation: entry.operation,
    recordIds: JSON.stringify(entry.recordIds),
    disclosure: entry.disclosure,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
    previousHash: entry.previousHash,
    hash: entry.hash,
  };
}

function fromRow(row: AuditLedgerTable): LedgerEntry {
  const entry = parseRow(row);
  if (!entry) throw new Error(`audit entry ${row.sequence} is unreadable`);
  return { ...entry, hash: row.hash };
}

/** The entry as stored, or null when its JSON columns were tampered into garbage. */
function parseRow(row: AuditLedgerTable): Omit<LedgerEntry, 'hash'> | null {
  try {
    return {
      sequence: Number(row.sequence),
      recordedAt: row.recordedAt,
      event: row.event as AuditEvent,
      callerAgency: row.callerAgency,
      callerSub: row.callerSub,
      purpose: row.purpose,
      operation: row.operation,
      recordIds: JSON.parse(row.recordIds) as string[],
      disclosure: row.disclosure as LedgerEntry['disclosure'],
      detail: row.detail ? (JSON.parse(row.detail) as LedgerEntry['detail']) : null,
      previousHash: row.previousHash,
    };
  } catch {
    return null;
  }
}
