import type { FederationConfig } from '../../../lib/config/federation.js';
import type { Logger } from '../../../lib/logger.js';
import type { LinkFetch } from '../../../lib/tls/links.js';
import { AuditLedger } from '../store/audit.js';
import type { RecordStore } from '../store/store.js';
import { WitnessRecords } from '../store/witnessing.js';
import { AuditKeys, type AuditSigner } from './keys.js';
import { publisherMetrics, witnessMetrics } from './metrics.js';
import type { Peer } from './peers.js';
import { HeadPublisher } from './publisher.js';
import { verifyLedger, type FullVerification, type WitnessPanel } from './verify.js';
import { Witness } from './witness.js';

// One node's part in witnessing, made once at start: it offers its own heads to the other
// nodes (publisher), countersigns theirs (witness), and verifies its ledger against them.

export interface NodeWitnessing {
  witness: Witness;
  publisher: HeadPublisher;
  /** The ledger checked against the receipts this node holds and what its witnesses hold. */
  verify(): Promise<FullVerification>;
}

export interface WitnessingOptions {
  signer: AuditSigner;
  federation: Pick<FederationConfig, 'agencies' | 'audit'>;
  fetch: LinkFetch;
  store: RecordStore;
  logger: Logger;
}

/** The other agencies' nodes of the federation config: this node's witnesses, and those it witnesses. */
export function peersOf(agency: string, federation: Pick<FederationConfig, 'agencies'>): Peer[] {
  return federation.agencies.filter((node) => node.code !== agency).map((node) => ({ code: node.code, url: node.url }));
}

export function witnessPanel(signer: AuditSigner, federation: Pick<FederationConfig, 'agencies'>, fetch: LinkFetch): WitnessPanel {
  return { signer, peers: peersOf(signer.agency, federation), keys: AuditKeys.of(federation.agencies), fetch };
}

export function nodeWitnessing(options: WitnessingOptions): NodeWitnessing {
  const { signer, federation, store, logger } = options;
  const panel = witnessPanel(signer, federation, options.fetch);
  const ledger = new AuditLedger(store);
  const records = new WitnessRecords(store);
  return {
    witness: new Witness(signer, panel.keys, records, logger, witnessMetrics),
    publisher: new HeadPublisher({
      ...panel,
      ledger,
      records,
      intervalMs: federation.audit.witnessIntervalMs,
      logger,
      metrics: publisherMetrics,
    }),
    verify: () => verifyLedger(signer.agency, ledger, records, panel.keys, panel),
  };
}
