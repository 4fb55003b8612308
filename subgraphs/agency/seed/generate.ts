// Synthetic demo data for one agency node: subjects, notices and cases in the shape its
// store holds them. Nothing describes real people, companies or cases: names are recombined
// from hand-built pools of common names, organisations are invented. Generation is
// deterministic: the same agency and seed give the same dataset, byte for byte (no clock,
// no Math.random, no locale-dependent formatting). About thirty persons are shared between
// stores, spelled differently in each, so federation has something to reconcile.
import { PUBLIC_LABELS, type AgencyDataset } from '../store/records.js';
import { buildCases } from './cases.js';
import { demoLabels } from './labels.js';
import { buildNotices } from './notices.js';
import { buildSubjectPool } from './pool.js';
import { DEMO_AGENCIES, PROFILES, isDemoAgency } from './profiles.js';
import { Random, deriveSeed } from './random.js';
import { sharedPersons } from './shared.js';

export const DEFAULT_SEED = 20_240_917;

export { isDemoAgency } from './profiles.js';

export function generateDataset(agency: string, seed: number = DEFAULT_SEED): AgencyDataset {
  if (!isDemoAgency(agency)) {
    throw new Error(`Unknown agency code "${agency}": expected one of ${DEMO_AGENCIES.join(', ')}`);
  }
  const profile = PROFILES[agency];
  const rng = new Random(deriveSeed(seed, agency));
  const pool = buildSubjectPool(rng, profile, sharedPersons(seed));
  const notices = buildNotices(rng, profile, pool);
  const cases = buildCases(rng, profile, pool);
  const subjects = [...pool.all];
  const labels = Object.fromEntries([
    ...subjects.map((subject, i) => [subject.localId, demoLabels(agency, i)] as const),
    ...notices.map((notice, i) => [notice.localId, notice.colour === 'UN_SPECIAL' ? PUBLIC_LABELS : demoLabels(agency, i)] as const),
    ...cases.map((record, i) => [record.localId, demoLabels(agency, i)] as const),
  ]);
  return { agency, subjects, notices, cases, labels };
}
