import type { Kysely } from 'kysely';
import type { DisclosureScope, Holdings } from '../rows.js';
import type { Tables } from '../tables.js';
import { visible } from './policy-sql.js';

/** How many records the scope lets the caller know of (FULL or HIT_ONLY). */
export async function countHoldings(db: Kysely<Tables>, scope: DisclosureScope): Promise<Holdings> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('notices').select(eb.fn.countAll<number>().as('n')).where(visible('notices', scope)).as('notices'),
      eb.selectFrom('subjects').select(eb.fn.countAll<number>().as('n')).where(visible('subjects', scope)).as('subjects'),
      eb.selectFrom('cases').select(eb.fn.countAll<number>().as('n')).where(visible('cases', scope)).as('cases'),
    ])
    .executeTakeFirstOrThrow();
  return { notices: Number(row.notices), subjects: Number(row.subjects), cases: Number(row.cases) };
}
