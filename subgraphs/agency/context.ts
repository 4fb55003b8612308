import { unauthenticated } from '../../lib/auth/authenticate.js';
import type { Caller } from '../../lib/auth/caller.js';
import { formatRecordId } from '../../lib/ids.js';
import { createLoaders, type Loaders } from './loaders.js';
import { fullAccessClauses } from './policy/policy.js';
import type { Disclosure, DisclosureScope, RecordStore } from './store/store.js';

/**
 * Built once per request. The caller is set once the token is verified (before execution);
 * the disclosure scope and the loaders follow from it, so every read of this request is
 * decided for this caller.
 */
export class NodeContext {
  caller: Caller | null = null;
  /** Every record this request read under the caller's scope, by global id: what the ledger records. */
  readonly disclosed = new Map<string, Disclosure>();
  /** Facts the ledger entry of this request's disclosures should carry (e.g. a question's fingerprint). */
  readonly auditDetail: Record<string, string> = {};
  private scopeOfCaller?: DisclosureScope;
  private loadersOfCaller?: Loaders;

  constructor(
    /** The agency this node serves: the owner of every record in its store. */
    readonly agency: string,
    readonly store: RecordStore,
  ) {}

  get scope(): DisclosureScope {
    if (!this.caller) throw unauthenticated('This request carries no verified caller.');
    return (this.scopeOfCaller ??= fullAccessClauses(this.caller, this.agency));
  }

  get loaders(): Loaders {
    return (this.loadersOfCaller ??= createLoaders(this.store, this.scope, (rows) => this.note(rows)));
  }

  /** Notes records on their way to the caller; returns them unchanged. */
  note<Row extends { localId: string; disclosure: Disclosure }>(rows: Row[]): Row[] {
    for (const row of rows) {
      const id = formatRecordId(this.agency, row.localId);
      // A record read at HIT_ONLY and at FULL within one request was disclosed in full.
      if (this.disclosed.get(id) !== 'FULL') this.disclosed.set(id, row.disclosure);
    }
    return rows;
  }
}
