import type { Kysely, Migration } from 'kysely';

// Witnessed audit heads (docs/audit.md). As an owner, a node keeps the receipts other nodes
// signed for its ledger's heads; as a witness, the heads it countersigned for other agencies
// and the contradicting heads it refused. Heads and receipts are kept as the signed tokens
// they arrived as: they are the evidence, checkable by anyone with the public keys.
export const witnessingMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('audit_receipts')
      .addColumn('witness', 'text', (c) => c.notNull())
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('countersigned_at', 'text', (c) => c.notNull())
      .addColumn('receipt', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_receipts_pk', ['witness', 'sequence'])
      .execute();
    await db.schema
      .createTable('witnessed_heads')
      .addColumn('agency', 'text', (c) => c.notNull())
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('signed_at', 'text', (c) => c.notNull())
      .addColumn('countersigned_at', 'text', (c) => c.notNull())
      .addColumn('head', 'text', (c) => c.notNull())
      .addColumn('receipt', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('witnessed_heads_pk', ['agency', 'sequence'])
      .execute();
    await db.schema
      .createTable('witness_contradictions')
      .addColumn('agency', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('held_head', 'text', (c) => c.notNull())
      .addColumn('offered_sequence', 'integer', (c) => c.notNull())
      .addColumn('offered_hash', 'text', (c) => c.notNull())
      .addColumn('offered_head', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('witness_contradictions_pk', ['agency', 'offered_sequence', 'offered_hash'])
      .execute();
  },
};
