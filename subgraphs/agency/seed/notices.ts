// INTERPOL's colour-coded notices, and the diffusions regional bodies send to chosen partners.
import type { CrimeType, NoticeRecord, NoticeStatus, SubjectRecord, TextRecord } from '../store/records.js';
import { RECORD_WINDOW, monthOf, randomDate, yearOf } from './dates.js';
import { byDate, drawer, localId, relatedCrimes, yearlySerials, type SharedEntry, type SubjectPool } from './pool.js';
import type { AgencyProfile, NoticePlan } from './profiles.js';
import type { Random, Weighted } from './random.js';
import { charges, diffusionTitle, noticeTitle, pickLanguages, texts, type InterpolColour, type Language } from './texts.js';

const STATUSES: Weighted<NoticeStatus> = [
  ['ACTIVE', 80],
  ['CANCELLED', 12],
  ['EXPIRED', 8],
];

// 'AGENCY': any crime the agency works on; null: the notice is not about a crime.
const COLOUR_CRIMES: Readonly<Record<InterpolColour, 'AGENCY' | readonly CrimeType[] | null>> = {
  RED: 'AGENCY',
  YELLOW: null,
  BLUE: 'AGENCY',
  BLACK: null,
  GREEN: 'AGENCY',
  ORANGE: ['TERRORISM', 'FIREARMS_TRAFFICKING', 'ORGANISED_CRIME'],
  PURPLE: ['TELECOM_FRAUD', 'CYBER_FRAUD', 'CYBERCRIME', 'ARMED_ROBBERY', 'DRUG_TRAFFICKING', 'TRAFFICKING_IN_PERSONS'],
  SILVER: ['MONEY_LAUNDERING', 'CORRUPTION', 'ORGANISED_CRIME', 'DRUG_TRAFFICKING', 'CYBER_FRAUD'],
  UN_SPECIAL: null,
};

// Wanted, missing and dead are people; threats, methods, assets and sanctions may be entities.
const PERSONS_ONLY: ReadonlySet<InterpolColour> = new Set(['RED', 'YELLOW', 'BLUE', 'BLACK', 'GREEN']);

const CONTROL_LETTERS: Readonly<Record<InterpolColour, string>> = {
  RED: 'A',
  BLUE: 'B',
  GREEN: 'C',
  YELLOW: 'D',
  BLACK: 'E',
  ORANGE: 'F',
  PURPLE: 'P',
  SILVER: 'S',
  UN_SPECIAL: 'U',
};

type NoticeDraft = Omit<NoticeRecord, 'localId' | 'reference'>;
type ColouredDraft = NoticeDraft & { readonly colour: InterpolColour };

export function buildNotices(rng: Random, profile: AgencyProfile, pool: SubjectPool): NoticeRecord[] {
  const plan = profile.notices;
  return plan.kind === 'COLOURED' ? colouredNotices(rng, profile, plan.quotas, pool) : diffusions(rng, profile, plan, pool);
}

/** Spreads shared persons over distinct eligible slots. */
function placeShared(rng: Random, slots: readonly number[], shared: readonly SharedEntry[]): Map<number, SharedEntry> {
  const chosen = rng.sample(slots, shared.length);
  const placed = new Map<number, SharedEntry>();
  shared.forEach((entry, k) => {
    const slot = chosen[k];
    if (slot !== undefined) placed.set(slot, entry);
  });
  return placed;
}

function subjectPicker(rng: Random, pool: SubjectPool): (allowEntity: boolean, entityShare: number) => SubjectRecord {
  const person = drawer(rng, pool.persons);
  const organisation = drawer(rng, pool.organisations);
  return (allowEntity, entityShare) =>
    allowEntity && pool.organisations.length > 0 && rng.chance(entityShare) ? organisation() : person();
}

/** Title and charges of one notice are written in the same languages. */
function writer(rng: Random, profile: AgencyProfile): (render: (language: Language) => string) => TextRecord[] {
  const languages = pickLanguages(rng, profile.languages);
  return (render) => texts(languages, render);
}

function colouredNotices(rng: Random, profile: AgencyProfile, quotas: Weighted<InterpolColour>, pool: SubjectPool): NoticeRecord[] {
  const colours = rng.shuffle(quotas.flatMap(([colour, n]) => Array.from({ length: n }, () => colour)));
  const redSlots = colours.flatMap((colour, i) => (colour === 'RED' ? [i] : []));
  const shared = placeShared(rng, redSlots, pool.shared);
  const pickSubject = subjectPicker(rng, pool);

  const drafts = colours.map((colour, i): ColouredDraft => {
    const entry = shared.get(i);
    const subject = entry?.subject ?? pickSubject(!PERSONS_ONLY.has(colour), 0.35);
    const source = COLOUR_CRIMES[colour];
    const crime = entry?.crime ?? (source === null ? null : source === 'AGENCY' ? rng.weighted(profile.crimes) : rng.pick(source));
    const home = subject.nationalities[0];
    const write = writer(rng, profile);
    let requestingCountry: string | null = null;
    if (colour === 'YELLOW' || colour === 'BLACK') {
      // Families report the missing, and the dead are identified, mostly through the home country.
      requestingCountry = home !== undefined && rng.chance(0.75) ? home : rng.weighted(profile.nationalities);
    } else if (colour !== 'UN_SPECIAL') {
      requestingCountry = home !== undefined && rng.chance(0.3) ? home : rng.weighted(profile.nationalities);
    }
    return {
      colour,
      status: rng.weighted(STATUSES),
      subjectLocalId: subject.localId,
      title: write(noticeTitle(rng, colour, crime, subject.gender === 'FEMALE')),
      charges:
        colour === 'RED' && crime !== null ? write(charges([crime, ...relatedCrimes(rng, profile, crime, rng.chance(0.35) ? 1 : 0)])) : [],
      issuedOn: randomDate(rng, RECORD_WINDOW.from, RECORD_WINDOW.to),
      requestingCountry,
      recipients: [],
    };
  });

  const sorted = byDate(drafts, (d) => d.issuedOn);
  const serials = yearlySerials(
    rng,
    sorted.map((d) => d.issuedOn),
    [20, 60],
  );
  return sorted.map((draft, i) => ({
    localId: localId('N', i + 1),
    reference: `${CONTROL_LETTERS[draft.colour]}-${serials[i]}/${monthOf(draft.issuedOn)}-${yearOf(draft.issuedOn)}`,
    ...draft,
  }));
}

function diffusions(
  rng: Random,
  profile: AgencyProfile,
  plan: Extract<NoticePlan, { kind: 'DIFFUSION' }>,
  pool: SubjectPool,
): NoticeRecord[] {
  const count = rng.int(plan.min, plan.max);
  const shared = placeShared(
    rng,
    Array.from({ length: count }, (_, i) => i),
    pool.shared,
  );
  const pickSubject = subjectPicker(rng, pool);

  const drafts = Array.from({ length: count }, (_, i): NoticeDraft => {
    const entry = shared.get(i);
    const subject = entry?.subject ?? pickSubject(true, 0.1);
    const crime = entry?.crime ?? rng.weighted(profile.crimes);
    const write = writer(rng, profile);
    return {
      colour: 'DIFFUSION',
      status: rng.weighted(STATUSES),
      subjectLocalId: subject.localId,
      title: write(diffusionTitle(crime)),
      charges: write(charges([crime, ...relatedCrimes(rng, profile, crime, rng.chance(0.35) ? 1 : 0)])),
      issuedOn: randomDate(rng, RECORD_WINDOW.from, RECORD_WINDOW.to),
      // Most diffusions are requested by a member country, some by the body itself.
      requestingCountry: rng.chance(0.8) ? rng.pick(plan.requesters) : null,
      recipients: rng.weightedSample(profile.partners, rng.int(1, 4)),
    };
  });

  const sorted = byDate(drafts, (d) => d.issuedOn);
  const serials = yearlySerials(
    rng,
    sorted.map((d) => d.issuedOn),
    [1, 3],
  );
  return sorted.map((draft, i) => ({
    localId: localId('N', i + 1),
    reference: `${profile.code}-DIF-${yearOf(draft.issuedOn)}-${String(serials[i]).padStart(4, '0')}`,
    ...draft,
  }));
}
