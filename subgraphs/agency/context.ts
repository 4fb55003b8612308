import { unauthenticated } from '../../lib/auth/authenticate.js';
import type { Caller } from '../../lib/auth/caller.js';
import type { LoggedContext, RequestLogFields } from '../../lib/http/request-log.js';
import type { RecordOwner } from './policy/policy.js';
import { DisclosureRecord } from './reader/disclosures.js';
import { readerFor, type RecordReader } from './reader/record-reader.js';
import { AccessRequests } from './store/access-requests.js';
import { AuditLedger } from './store/audit.js';
import type { RecordStore } from './store/store.js';
import { WitnessRecords } from './store/witnessing.js';
import { AuditKeys } from './witness/keys.js';
import { verifyLedger, type FullVerification } from './witness/verify.js';
import { Deadline, type DeadlineContext } from '../../lib/limits/deadline.js';
import { DEFAULT_LIMITS } from '../../lib/limits/operation-limits.js';

/**
 * Built once per request. The caller is set once the token is verified (before execution).
 * Resolvers reach records only through `reader`, made for this caller: it decides every
 * read by the caller's disclosure scope and notes what it returns in `disclosures`, which
 * the audit plugin writes to the ledger. The store is not part of the context's type.
 */
export class NodeContext implements LoggedContext, DeadlineContext {
  caller: Caller | null = null;
  /** What this request disclosed: filled by the reader, written to the ledger by the audit plugin. */
  readonly disclosures = new DisclosureRecord();
  // Private to the type, not ES-private (#): Apollo Server hands resolvers a shallow copy of
  // the context, which would lose ES-private fields.
  private readerOfCaller?: RecordReader;

  constructor(
    /** The agency this node serves, and its trust circles: the owner of every record in the store. */
    private readonly owner: RecordOwner,
    private readonly store: RecordStore,
    /** The id the request carries at the gateway and every node (X-Request-Id); the ledger keeps it. */
    readonly requestId: string = 'in-process',
    /** What this request's log line says about it. */
    readonly requestLog: RequestLogFields = {},
    /** When this request's work stops (the gateway's remaining time, or the node's own budget). */
    readonly deadline: Deadline = new Deadline(DEFAULT_LIMITS.deadlineMs),
    /** Verifies the owner's ledger with its witnesses (witness/); by default against nothing but the chain. */
    private readonly ledgerCheck?: () => Promise<FullVerification>,
    /** The languages the request's Accept-Language asks for, most wanted first (lib/language.ts). */
    readonly languages: readonly string[] = [],
  ) {}

  get agency(): string {
    return this.owner.code;
  }

  /** The caller's reader of records; the only one. */
  get reader(): RecordReader {
    if (!this.caller) throw unauthenticated('This request carries no verified caller.');
    return (this.readerOfCaller ??= readerFor(this.store, this.owner, this.caller, this.disclosures));
  }

  /** The owner's audit ledger (its auditors read it; access requests append to it). */
  get ledger(): AuditLedger {
    return new AuditLedger(this.store);
  }

  /** The chain walked, and compared with what the other nodes countersigned of it. */
  verifyLedger(): Promise<FullVerification> {
    return this.ledgerCheck?.() ?? verifyLedger(this.agency, this.ledger, this.witnessRecords, AuditKeys.of([]), undefined);
  }

  /** Receipts for the owner's ledger heads, and what it countersigned for others. */
  get witnessRecords(): WitnessRecords {
    return new WitnessRecords(this.store);
  }

  get accessRequests(): AccessRequests {
    return new AccessRequests(this.store);
  }
}
