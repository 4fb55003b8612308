// THE disclosure decision of a node (docs/disclosure.md). Each record is
// disclosed to a caller at one of three levels:
//   FULL      the caller's agency owns it, holds an approved access grant for it that has not
//             expired, or its TLP label and releasableTo include the caller;
//   HIT_ONLY  otherwise, if the owner marked it discoverable: id, owner and kind only;
//   NONE      otherwise: not returned at all, as if it did not exist.
// The rule is expressed once, as clauses for FULL access; the store compiles the same clauses
// to SQL (so NONE rows never leave the database) and `decide` evaluates them in memory.

export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LABELS)[number];

export const HANDLING_CODES = ['H0', 'H1', 'H2', 'H3'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export type DisclosureLevel = 'FULL' | 'HIT_ONLY' | 'NONE';

/** What a policy decision needs of the caller (from the verified token). */
export interface PolicyCaller {
  agency: string;
  circles: readonly string[];
}

/** The agency that owns a record, with the trust circles the directory lists it in (its community). */
export interface RecordOwner {
  code: string;
  circles: readonly string[];
}

/** What a policy decision needs of a record. */
export interface DisclosureLabels {
  tlp: Tlp;
  /** Agency codes and trust-circle codes. */
  releasableTo: readonly string[];
  discoverable: boolean;
  /** Approved access requests: which agency, until when (ISO 8601, UTC). */
  grants?: readonly { agency: string; expiresAt: string }[];
}

/** One way to FULL access; a record is FULL when any clause holds. */
export type FullAccessClause =
  | { kind: 'everything' }
  | { kind: 'tlp'; tlps: Tlp[] }
  | { kind: 'releasable'; tlps: Tlp[]; audiences: string[] }
  | { kind: 'granted'; agency: string; now: string };

/**
 * The clauses under which `caller` sees records owned by `owner` in full:
 * - the owner's own users see everything;
 * - CLEAR: every authenticated partner;
 * - GREEN: partners sharing a trust circle with the owner (its community), or named in releasableTo;
 * - AMBER: partners named in releasableTo, by agency code or by one of their circles;
 * - AMBER_STRICT: partners named in releasableTo by agency code only;
 * - RED: nobody but the owner.
 */
export function fullAccessClauses(caller: PolicyCaller, owner: RecordOwner, now: Date = new Date()): FullAccessClause[] {
  if (caller.agency === owner.code) return [{ kind: 'everything' }];
  const ownerCircles = new Set(owner.circles);
  const sharesCommunity = caller.circles.some((circle) => ownerCircles.has(circle));
  const audiences = [caller.agency, ...caller.circles];
  return [
    { kind: 'tlp', tlps: sharesCommunity ? ['CLEAR', 'GREEN'] : ['CLEAR'] },
    { kind: 'releasable', tlps: sharesCommunity ? ['AMBER'] : ['GREEN', 'AMBER'], audiences },
    { kind: 'releasable', tlps: ['AMBER_STRICT'], audiences: [caller.agency] },
    { kind: 'granted', agency: caller.agency, now: now.toISOString() },
  ];
}

export function holds(clause: FullAccessClause, labels: DisclosureLabels): boolean {
  switch (clause.kind) {
    case 'everything':
      return true;
    case 'tlp':
      return clause.tlps.includes(labels.tlp);
    case 'releasable':
      return clause.tlps.includes(labels.tlp) && labels.releasableTo.some((audience) => clause.audiences.includes(audience));
    case 'granted':
      return (labels.grants ?? []).some((grant) => grant.agency === clause.agency && grant.expiresAt > clause.now);
  }
}

export function decide(caller: PolicyCaller, owner: RecordOwner, labels: DisclosureLabels, now: Date = new Date()): DisclosureLevel {
  if (fullAccessClauses(caller, owner, now).some((clause) => holds(clause, labels))) return 'FULL';
  return labels.discoverable ? 'HIT_ONLY' : 'NONE';
}

/**
 * Links never outrank their ends. A link between two records (a notice's subject, a
 * subject's notices and cases, a case's subjects and participants with their roles) is
 * disclosed only when both of its ends are disclosed in full to the caller: a record
 * disclosed in full shows its links to records the caller also reads in full, and no
 * others; a HIT_ONLY record shows none (its links are withheld content). A record withheld
 * behind a link stays discoverable on its own, through lists, lookups and screening.
 * The store applies this in SQL (policy-sql.ts `linkedEnd`); the record reader follows
 * links only from records that `showsLinks`.
 */
export function linkDisclosed(from: DisclosureLevel, to: DisclosureLevel): boolean {
  return from === 'FULL' && to === 'FULL';
}

/** Whether a record at this level shows any of its links. */
export function showsLinks(level: DisclosureLevel): boolean {
  return linkDisclosed(level, 'FULL');
}

/** The only fields a HIT_ONLY record carries; every other field of it is null. */
export const HIT_ONLY_FIELDS: Readonly<Record<'Notice' | 'Subject' | 'Case', readonly string[]>> = {
  Notice: ['id', 'agency', 'colour', 'disclosure'],
  Subject: ['id', 'agency', 'kind', 'disclosure'],
  Case: ['id', 'agency', 'disclosure'],
};
