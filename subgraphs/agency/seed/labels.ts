import { HANDLING_CODES, TLP_LABELS } from '../policy/policy.js';
import type { RecordLabels } from '../store/records.js';

// Disclosure labels for the demo records. Each kind of record cycles through every
// combination that matters to the policy (TLP label x whom it is released to x
// discoverable), so every store holds FULL, HIT_ONLY and NONE records for every partner.

type Audience = 'nobody' | 'agencies' | 'circles' | 'both';
const AUDIENCES: Audience[] = ['nobody', 'agencies', 'circles', 'both'];
const PARTNERS = [
  'INTERPOL',
  'EUROPOL',
  'ASEANAPOL',
  'LMLECC',
  'TH-RTP',
  'VN-MPS',
  'CN-MPS',
  'LA-MPS',
  'MM-MPF',
  'KH-NP',
  'FR-PN',
  'DE-BKA',
];
const CIRCLES = ['GLOBAL', 'EU', 'ASEAN', 'MEKONG'];

const COMBINATIONS = TLP_LABELS.flatMap((tlp) =>
  AUDIENCES.flatMap((audience) => [true, false].map((discoverable) => ({ tlp, audience, discoverable }))),
);

/** Labels for the i-th record of one kind at `owner`. */
export function demoLabels(owner: string, index: number): RecordLabels {
  const combination = COMBINATIONS[index % COMBINATIONS.length]!;
  const round = Math.floor(index / COMBINATIONS.length);
  const partners = PARTNERS.filter((code) => code !== owner);
  const agencies = [
    partners[(index + round) % partners.length]!,
    ...(index % 3 === 0 ? [partners[(index * 7 + 3) % partners.length]!] : []),
  ];
  const circles = [CIRCLES[(index + round) % CIRCLES.length]!];
  const releasableTo = {
    nobody: [],
    agencies,
    circles,
    both: [...agencies, ...circles],
  }[combination.audience];
  return {
    tlp: combination.tlp,
    handling: HANDLING_CODES[(index + round) % HANDLING_CODES.length]!,
    releasableTo: [...new Set(releasableTo)],
    discoverable: combination.discoverable,
  };
}
