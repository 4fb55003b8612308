import { createHash, randomBytes } from 'node:crypto';
import type { Directory } from '../lib/config/directory.js';
import { NodeClient, type ClientTls, type Credentials, type ShownRequest } from './client.js';
import type { ConformanceDataset } from './dataset/format.js';
import { claimsFor, sign, type KitIssuer } from './issuer.js';
import type { Party } from './policy.js';
import { clip } from './checks/show.js';

// The kit's shape: named checks, each run against the node with the context below, each
// failing with the exact request, what came back and what the contract says.

export const GROUPS = ['Contract', 'Identity', 'Disclosure', 'Sovereignty', 'Audit', 'Hygiene'] as const;
export type Group = (typeof GROUPS)[number];

export interface Failure {
  request?: ShownRequest;
  got: string;
  contract: string;
}

export type Status = 'pass' | 'fail' | 'not run';

export interface CheckResult {
  check: string;
  group: Group;
  status: Status;
  /** Why a check did not run; how many cases a passing check tried. */
  note?: string;
  failures: Failure[];
}

export interface Check {
  /** `group.what`, e.g. "identity.alg-none". */
  name: string;
  group: Group;
  /** What the contract promises, one line. */
  promise: string;
  /** Returns a note (cases tried), or `{ notRun }` with why. */
  run(kit: Kit, fail: (failure: Failure) => void): Promise<string | { notRun: string } | void>;
}

export interface Caller extends Party {
  roles: readonly string[];
  sub: string;
  /** The circles the token claims, when not those the directory lists (`circles`, which the policy uses). */
  claimedCircles?: readonly string[];
}

export interface KitOptions {
  url: string;
  /** The node's agency code. */
  agency: string;
  issuer: KitIssuer;
  /** The federation's token audience. */
  audience: string;
  directory: Directory;
  dataset: ConformanceDataset;
  /** The node runs with production settings: introspection and suggestions must be off. */
  production: boolean;
  /** For a node on TLS: its CA, and the client certificate it asks for. */
  tls?: ClientTls;
  /** Partner agencies of the disclosure matrix (default: a few the directory lists in different circles). */
  partners?: readonly string[];
}

/** Partners whose circles differ (ASEAN and Mekong, EU, Mekong only, EU by code): every branch of the policy is met. */
const DEFAULT_PARTNERS = ['TH-RTP', 'DE-BKA', 'CN-MPS', 'FR-PN'];
const PURPOSE = 'CRIMINAL_INVESTIGATION';

/** A kit that cannot be set up as asked (an agency the directory does not list): the command line is wrong. */
export class KitSetupError extends Error {}

export class Kit {
  readonly client: NodeClient;
  readonly node: Party;
  /** The owner first, then each partner of the matrix. */
  readonly callers: Caller[];
  /** A mark on this run's tokens (`sub`), so its ledger entries can be found; random, so a node cannot tell the kit's callers by name. */
  readonly runId = randomBytes(4).toString('hex');
  readonly purpose = PURPOSE;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(readonly options: KitOptions) {
    const { directory, agency } = options;
    if (!directory.hasAgency(agency))
      throw new KitSetupError(`the directory does not list agency ${agency}: the node's agency must be in it`);
    this.client = new NodeClient(options.url, options.tls);
    this.node = { agency, circles: directory.circlesOf(agency) };
    const partners = (options.partners ?? DEFAULT_PARTNERS).filter((code) => code !== agency);
    for (const code of partners)
      if (!directory.hasAgency(code)) throw new KitSetupError(`the directory does not list partner agency ${code}`);
    this.callers = [agency, ...partners].map((code) => this.caller(code, ['officer']));
  }

  get dataset(): ConformanceDataset {
    return this.options.dataset;
  }

  get partners(): Caller[] {
    return this.callers.slice(1);
  }

  caller(agency: string, roles: readonly string[], name = roles.join('-')): Caller {
    const sub = `${agency.toLowerCase()}-${name}-${createHash('sha256').update(`${this.runId}${agency}${name}`).digest('hex').slice(0, 10)}`;
    return { agency, circles: this.options.directory.circlesOf(agency), roles, sub };
  }

  /** A valid token for `caller` (kept for the run), sent with the purpose (null: no X-Purpose header). */
  async as(caller: Caller, purpose: string | null = PURPOSE): Promise<Credentials> {
    let token = this.tokens.get(caller.sub);
    if (!token) {
      const claimed = caller.claimedCircles ? { circles: [...caller.claimedCircles] } : {};
      token = sign(this.options.issuer, claimsFor(caller, this.options.audience, claimed));
      this.tokens.set(caller.sub, token);
    }
    return {
      authorization: `Bearer ${await token}`,
      shownAs: `Bearer <token of ${caller.agency} ${caller.roles.join(', ')}, sub ${caller.sub}>`,
      ...(purpose !== null ? { purpose } : {}),
    };
  }

  globalId(localId: string): string {
    return `${this.node.agency}:${localId}`;
  }
}

export async function runChecks(kit: Kit, checks: readonly Check[], only?: (check: Check) => boolean): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (only && !only(check)) continue;
    const failures: Failure[] = [];
    let note: string | undefined;
    let status: Status = 'pass';
    try {
      const outcome = await check.run(kit, (failure) => failures.push(failure));
      if (typeof outcome === 'object') {
        status = 'not run';
        note = outcome.notRun;
      } else if (typeof outcome === 'string') note = outcome;
    } catch (error) {
      failures.push({ got: `the check could not finish: ${(error as Error).message}`, contract: check.promise });
    }
    if (failures.length > 0) status = 'fail';
    // Whatever a node sent, the report holds it cut short and without tokens.
    const shownFailures = failures.map((failure) => ({ ...failure, got: clip(failure.got, 2000) }));
    results.push({ check: check.name, group: check.group, status, ...(note ? { note } : {}), failures: shownFailures });
  }
  return results;
}
