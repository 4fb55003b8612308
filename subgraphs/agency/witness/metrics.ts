import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../../../lib/http/metrics.js';
import type { PublisherMetrics } from './publisher.js';
import type { WitnessMetrics } from './witness.js';

// Witnessing, as an operator watches it: how far each witness has countersigned this node's
// ledger (a witness falling behind is an alert), and what this node refused as a witness.
// Label values are agency codes of the federation config and fixed reasons: bounded.

const headSequence = new Gauge({
  name: 'audit_head_sequence',
  help: "The sequence of this node's audit ledger head, as last offered to witnesses.",
  registers: [metricsRegistry],
});

const witnessedSequence = new Gauge({
  name: 'audit_witnessed_sequence',
  help: "The latest sequence of this node's ledger each witness has countersigned.",
  labelNames: ['witness'] as const,
  registers: [metricsRegistry],
});

const offerFailures = new Counter({
  name: 'audit_witness_offer_failures_total',
  help: 'Head offers a witness did not countersign, by witness and reason (unreachable, refused, contradiction, shortened, bad_receipt).',
  labelNames: ['witness', 'reason'] as const,
  registers: [metricsRegistry],
});

const countersigned = new Counter({
  name: 'audit_witness_countersigned_total',
  help: "Heads of other agencies' ledgers this node countersigned as their witness.",
  labelNames: ['agency'] as const,
  registers: [metricsRegistry],
});

const contradictions = new Counter({
  name: 'audit_witness_contradictions_total',
  help: "Signed heads this node refused as contradicting a head of the same agency's ledger it countersigned.",
  labelNames: ['agency', 'kind'] as const,
  registers: [metricsRegistry],
});

const refusals = new Counter({
  name: 'audit_witness_refusals_total',
  help: 'Offers and questions this node refused as a witness before deciding them (bad form, unknown signer, bad signature).',
  labelNames: ['code'] as const,
  registers: [metricsRegistry],
});

export const publisherMetrics: PublisherMetrics = {
  head: (sequence) => headSequence.set(sequence),
  witnessed: (witness, sequence) => witnessedSequence.set({ witness }, sequence),
  failed: (witness, reason) => offerFailures.inc({ witness, reason }),
};

export const witnessMetrics: WitnessMetrics = {
  countersigned: (agency) => countersigned.inc({ agency }),
  contradiction: (agency, kind) => contradictions.inc({ agency, kind }),
  refused: (code) => refusals.inc({ code }),
};
