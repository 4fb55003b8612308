import { sql, type Kysely } from 'kysely';
import type { RecordStore } from './store.js';
import type { AuditReceiptsTable, Tables, WitnessContradictionsTable, WitnessedHeadsTable } from './tables.js';

// The witnessing tables (migration 0006): receipts this node holds for its own ledger's
// heads, and, as a witness, the heads it countersigned for others and the ones it refused.

/** How many contradictions a witness keeps per agency: a flood of signed nonsense must not fill its store. */
export const MAX_CONTRADICTIONS_PER_AGENCY = 1000;
/**
 * Receipts and countersigned heads are thinned as they arrive: of each span of this many
 * sequences, the first and the latest are kept. Verification then places a rewrite within one
 * span (and `lastAgreedSequence` narrows it), and storage grows with the ledger divided by the
 * span, not with the number of countersignings (one every few seconds per witness).
 */
export const KEPT_SPAN = 1000;

/**
 * Of the rows of one witness (receipts) or one agency (heads) in the span of `sequence`, keeps
 * the first and the one just written (`sequence`, the latest): deletes those in between.
 */
async function thinSpan(
  trx: Kysely<Tables>,
  table: 'auditReceipts' | 'witnessedHeads',
  party: 'witness' | 'agency',
  code: string,
  sequence: number,
): Promise<void> {
  const start = Math.floor(sequence / KEPT_SPAN) * KEPT_SPAN;
  // Both tables have (party, sequence) as their key; Kysely cannot type a column over a union of tables.
  const db = trx as unknown as Kysely<Record<typeof table, { witness: string; agency: string; sequence: number }>>;
  const first = await db
    .selectFrom(table)
    .select((eb) => eb.fn.min<number>('sequence').as('sequence'))
    .where(party, '=', code)
    .where('sequence', '>=', start)
    .where('sequence', '<', start + KEPT_SPAN)
    .executeTakeFirst();
  await db
    .deleteFrom(table)
    .where(party, '=', code)
    .where('sequence', '>', Number(first?.sequence ?? sequence))
    .where('sequence', '<', sequence)
    .execute();
}

export class WitnessRecords {
  constructor(private readonly store: RecordStore) {}

  // --- the owner's receipts ---

  async addReceipt(row: AuditReceiptsTable): Promise<void> {
    await this.store.writeTransaction(async (trx) => {
      await trx
        .insertInto('auditReceipts')
        .values(row)
        .onConflict((conflict) => conflict.columns(['witness', 'sequence']).doNothing())
        .execute();
      await thinSpan(trx, 'auditReceipts', 'witness', row.witness, row.sequence);
    });
  }

  /** The highest sequence each witness has countersigned, by its receipts. */
  async lastReceiptSequences(): Promise<Map<string, number>> {
    const rows = await this.store.db
      .selectFrom('auditReceipts')
      .select(['witness', (eb) => eb.fn.max<number>('sequence').as('sequence')])
      .groupBy('witness')
      .execute();
    return new Map(rows.map((row) => [row.witness, Number(row.sequence)]));
  }

  /** Receipts, newest first (by sequence, then witness). */
  async receipts(first: number, witness?: string | null): Promise<AuditReceiptsTable[]> {
    let query = this.store.db.selectFrom('auditReceipts').selectAll();
    if (witness) query = query.where('witness', '=', witness);
    return query.orderBy('sequence', 'desc').orderBy('witness').limit(first).execute();
  }

  /** Every receipt, oldest first, page by page (for verification). */
  async *allReceipts(page = 1000): AsyncGenerator<AuditReceiptsTable> {
    let after: { sequence: number; witness: string } | undefined;
    for (;;) {
      let query = this.store.db.selectFrom('auditReceipts').selectAll();
      if (after) {
        const { sequence, witness } = after;
        query = query.where((eb) =>
          eb.or([eb('sequence', '>', sequence), eb.and([eb('sequence', '=', sequence), eb('witness', '>', witness)])]),
        );
      }
      const rows = await query.orderBy('sequence').orderBy('witness').limit(page).execute();
      for (const row of rows) yield { ...row, sequence: Number(row.sequence) };
      if (rows.length < page) return;
      after = rows[rows.length - 1]!;
    }
  }

  // --- what this node holds as a witness ---

  async latestHead(agency: string): Promise<WitnessedHeadsTable | undefined> {
    const row = await this.store.db
      .selectFrom('witnessedHeads')
      .selectAll()
      .where('agency', '=', agency)
      .orderBy('sequence', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { ...row, sequence: Number(row.sequence) };
  }

  async headAt(agency: string, sequence: number): Promise<WitnessedHeadsTable | undefined> {
    const row = await this.store.db
      .selectFrom('witnessedHeads')
      .selectAll()
      .where('agency', '=', agency)
      .where('sequence', '=', sequence)
      .executeTakeFirst();
    return row && { ...row, sequence: Number(row.sequence) };
  }

  async addHead(row: WitnessedHeadsTable): Promise<void> {
    await this.store.writeTransaction(async (trx) => {
      await trx.insertInto('witnessedHeads').values(row).execute();
      await thinSpan(trx, 'witnessedHeads', 'agency', row.agency, row.sequence);
    });
  }

  /** Records a refused head; false when it was recorded before or the agency's cap is reached. */
  async addContradiction(row: WitnessContradictionsTable): Promise<boolean> {
    return this.store.writeTransaction(async (trx) => {
      const { n } = await trx
        .selectFrom('witnessContradictions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('agency', '=', row.agency)
        .executeTakeFirstOrThrow();
      if (Number(n) >= MAX_CONTRADICTIONS_PER_AGENCY) return false;
      const result = await trx
        .insertInto('witnessContradictions')
        .values(row)
        .onConflict((conflict) => conflict.columns(['agency', 'offeredSequence', 'offeredHash']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    });
  }

  async contradictions(agency: string): Promise<WitnessContradictionsTable[]> {
    const rows = await this.store.db
      .selectFrom('witnessContradictions')
      .selectAll()
      .where('agency', '=', agency)
      .orderBy('recordedAt')
      .execute();
    return rows.map((row) => ({ ...row, offeredSequence: Number(row.offeredSequence) }));
  }

  async contradictionCount(agency: string): Promise<number> {
    const { n } = await this.store.db
      .selectFrom('witnessContradictions')
      .select(sql<number>`count(*)`.as('n'))
      .where('agency', '=', agency)
      .executeTakeFirstOrThrow();
    return Number(n);
  }
}
