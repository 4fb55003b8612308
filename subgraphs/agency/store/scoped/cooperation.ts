import { sql, type Kysely } from 'kysely';
import type { CrimeType, NoticeColour } from '../records.js';
import type { DisclosureScope } from '../rows.js';
import type { Tables } from '../tables.js';
import { inTier } from './policy-sql.js';

// The record counts of cooperation figures (docs/cooperation.md), as one caller may know
// them: status, crime types and participating agencies are withheld content, so only
// records disclosed to the caller in full are counted, as a filter on them would match.

/** Whole days, ISO 8601 dates, both included. */
export interface PeriodDays {
  from: string;
  to: string;
}

export interface RecordFigures {
  noticesInForce: { colour: NoticeColour; count: number }[];
  casesByCrimeType: { crimeType: CrimeType; open: number; closed: number }[];
  jointCases: { partner: string; count: number }[];
}

export async function countCooperation(
  db: Kysely<Tables>,
  scope: DisclosureScope,
  owner: string,
  period: PeriodDays,
): Promise<RecordFigures> {
  const [notices, crimeTypes, partners] = await Promise.all([
    db
      .selectFrom('notices')
      .select(['notices.colour', (eb) => eb.fn.countAll<number>().as('count')])
      .where(inTier('notices', scope, 'FULL'))
      .where('notices.status', '=', 'ACTIVE')
      .where('notices.issuedOn', '<=', period.to)
      .groupBy('notices.colour')
      .orderBy('notices.colour')
      .execute(),
    db
      .selectFrom('cases')
      .innerJoin('caseCrimeTypes', 'caseCrimeTypes.caseId', 'cases.localId')
      .select([
        'caseCrimeTypes.crimeType',
        sql<number>`sum(case when ${sql.ref('cases.status')} = 'CLOSED' then 0 else 1 end)`.as('open'),
        sql<number>`sum(case when ${sql.ref('cases.status')} = 'CLOSED' then 1 else 0 end)`.as('closed'),
      ])
      .where(inTier('cases', scope, 'FULL'))
      .where('cases.openedOn', '>=', period.from)
      .where('cases.openedOn', '<=', period.to)
      .groupBy('caseCrimeTypes.crimeType')
      .orderBy('caseCrimeTypes.crimeType')
      .execute(),
    db
      .selectFrom('cases')
      .innerJoin('caseAgencies', 'caseAgencies.caseId', 'cases.localId')
      .select(['caseAgencies.agency', (eb) => eb.fn.count<number>('cases.localId').distinct().as('count')])
      .where(inTier('cases', scope, 'FULL'))
      .where('cases.openedOn', '>=', period.from)
      .where('cases.openedOn', '<=', period.to)
      .where('caseAgencies.agency', '<>', owner)
      .groupBy('caseAgencies.agency')
      .orderBy('caseAgencies.agency')
      .execute(),
  ]);
  return {
    noticesInForce: notices.map((row) => ({ colour: row.colour, count: Number(row.count) })),
    casesByCrimeType: crimeTypes.map((row) => ({ crimeType: row.crimeType, open: Number(row.open), closed: Number(row.closed) })),
    jointCases: partners.map((row) => ({ partner: row.agency, count: Number(row.count) })),
  };
}
