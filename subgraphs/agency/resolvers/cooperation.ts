import { ISO_DATE } from '../../../schema/argument-rules.js';
import type { NodeContext } from '../context.js';
import { badUserInput } from '../errors.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { RecordFigures } from '../reader/record-reader.js';

// Cooperation figures (docs/cooperation.md): the node's own store and ledger, counted as the
// caller may know them. Records through the caller's reader (in full only); access requests
// and disclosures are the caller's agency's own, unless the caller is the owner's.

/** A period longer than this is refused: figures are read from the ledger of the period. */
const MAX_DAYS = 3660;
const DAY_MS = 86_400_000;

export interface Period {
  from: string;
  to: string;
  /** The day after `to`: timestamps of the period are before it. */
  toExclusive: string;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function day(value: string, name: string): Date {
  const parsed = ISO_DATE.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || isoDay(parsed) !== value) {
    throw badUserInput(`period.${name} must be an ISO 8601 date such as 2026-01-31; got ${JSON.stringify(value.slice(0, 40))}.`);
  }
  return parsed;
}

/** The asked period, or the last 12 months (this month included); refused with one line when it cannot be. */
export function periodOf(asked: { from: string; to: string } | null | undefined, today = new Date()): Period {
  let from: Date;
  let to: Date;
  if (asked) {
    from = day(asked.from, 'from');
    to = day(asked.to, 'to');
  } else {
    to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1));
  }
  if (from > to) throw badUserInput(`period.from (${isoDay(from)}) is after period.to (${isoDay(to)}).`);
  if ((to.getTime() - from.getTime()) / DAY_MS >= MAX_DAYS)
    throw badUserInput(`A period is at most ${MAX_DAYS} days long; ask for shorter ones.`);
  return { from: isoDay(from), to: isoDay(to), toExclusive: isoDay(new Date(to.getTime() + DAY_MS)) };
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

type AgencyRef = { code: string };

export interface CooperationFigures extends Omit<RecordFigures, 'jointCases'> {
  agency: AgencyRef;
  jointCases: { partner: AgencyRef; count: number }[];
  from: string;
  to: string;
  accessRequests: {
    received: number;
    answered: number;
    approved: number;
    denied: number;
    pending: number;
    medianHoursToDecision: number | null;
    p90HoursToDecision: number | null;
  };
  disclosures: { month: string; partner: AgencyRef; full: number; hitOnly: number }[];
}

/** Figures already worked out in a request, by period: a question that asks for them under many aliases costs them once. */
const perRequest = new WeakMap<NodeContext, Map<string, Promise<CooperationFigures>>>();

export function cooperationOf(context: NodeContext, asked: { from: string; to: string } | null | undefined): Promise<CooperationFigures> {
  const period = periodOf(asked);
  let known = perRequest.get(context);
  if (!known) perRequest.set(context, (known = new Map()));
  const key = `${period.from}/${period.to}`;
  let figures = known.get(key);
  if (!figures) {
    figures = figuresOf(context, period);
    known.set(key, figures);
  }
  return figures;
}

async function figuresOf(context: NodeContext, period: Period): Promise<CooperationFigures> {
  const caller = context.caller!;
  // The owner's own users see every partner's requests and disclosures; a partner its own.
  const whose = caller.agency === context.agency ? null : caller.agency;
  const [records, requests, disclosed] = await Promise.all([
    context.reader.cooperation(period),
    context.accessRequests.requestTimes(period, whose),
    context.ledger.disclosureCounts(period, whose),
  ]);
  const hours = requests
    .filter((request) => request.status !== 'PENDING' && request.decidedAt)
    .map((request) => (Date.parse(request.decidedAt!) - Date.parse(request.requestedAt)) / 3_600_000)
    .sort((a, b) => a - b);
  const months = new Map<string, { month: string; partner: string; full: number; hitOnly: number }>();
  for (const row of disclosed) {
    const key = `${row.month} ${row.partner}`;
    const entry = months.get(key) ?? { month: row.month, partner: row.partner, full: 0, hitOnly: 0 };
    if (row.disclosure === 'FULL') entry.full += row.records;
    else entry.hitOnly += row.records;
    months.set(key, entry);
  }
  const count = (status: string) => requests.filter((request) => request.status === status).length;
  return {
    agency: { code: context.agency },
    from: period.from,
    to: period.to,
    noticesInForce: records.noticesInForce,
    casesByCrimeType: records.casesByCrimeType,
    jointCases: records.jointCases.map(({ partner, count }) => ({ partner: { code: partner }, count })),
    accessRequests: {
      received: requests.length,
      answered: count('APPROVED') + count('DENIED'),
      approved: count('APPROVED'),
      denied: count('DENIED'),
      pending: count('PENDING'),
      medianHoursToDecision: percentile(hours, 0.5),
      p90HoursToDecision: percentile(hours, 0.9),
    },
    disclosures: [...months.values()]
      .sort((a, b) => a.month.localeCompare(b.month, 'en') || a.partner.localeCompare(b.partner, 'en'))
      .map(({ partner, ...figures }) => ({ ...figures, partner: { code: partner } })),
  };
}

export const cooperationResolvers: Resolvers = {
  Query: {
    cooperationReport: async (_parent, { period }, context) => [await cooperationOf(context, period)],
  },
  Agency: {
    // A node knows only its own figures.
    cooperation: (agency, { period }, context) => (agency.code === context.agency ? cooperationOf(context, period) : null),
  },
};
