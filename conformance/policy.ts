import type { DatasetLabels, RecordKind } from './dataset/format.js';

// The contract's disclosure policy (docs/disclosure.md) as the kit reads it, written here
// apart from any node's code: what a node answers is held against what this says.

export type Level = 'FULL' | 'HIT_ONLY' | 'NONE';

export interface Party {
  agency: string;
  /** The trust circles the directory lists the agency in. */
  circles: readonly string[];
}

/** The level at which `owner` discloses a record with these labels to `caller` (no access grants in the data set). */
export function expectedLevel(caller: Party, owner: Party, labels: DatasetLabels): Level {
  if (caller.agency === owner.agency) return 'FULL';
  const community = caller.circles.some((circle) => owner.circles.includes(circle));
  const named = labels.releasableTo.includes(caller.agency) || caller.circles.some((circle) => labels.releasableTo.includes(circle));
  const full =
    labels.tlp === 'CLEAR' ||
    (labels.tlp === 'GREEN' && (community || named)) ||
    (labels.tlp === 'AMBER' && named) ||
    (labels.tlp === 'AMBER_STRICT' && labels.releasableTo.includes(caller.agency));
  if (full) return 'FULL';
  return labels.discoverable ? 'HIT_ONLY' : 'NONE';
}

/** A link is shown only when both its ends are disclosed in full. */
export function linkShown(from: Level, to: Level): boolean {
  return from === 'FULL' && to === 'FULL';
}

/** The fields a HIT_ONLY record may carry (everything else null); `agency` and the kind are who to ask and what. */
export const HIT_ONLY_FIELDS: Readonly<Record<RecordKind, readonly string[]>> = {
  Notice: ['id', 'agency', 'colour', 'disclosure', '__typename'],
  Subject: ['id', 'agency', 'kind', 'disclosure', '__typename'],
  Case: ['id', 'agency', 'disclosure', '__typename'],
};

/** The fields of a HIT_ONLY record's answer that carry something they may not. */
export function hitOnlyExtras(kind: RecordKind, value: Record<string, unknown> | null): string[] {
  if (!value) return [];
  return Object.entries(value)
    .filter(([field, content]) => !HIT_ONLY_FIELDS[kind].includes(field) && content !== null)
    .map(([field]) => field);
}

/** What the kit asks of each kind: every field a partner may ask (owner-only fields are asked by disclosure.owner-only-fields alone). */
export const SELECTIONS: Readonly<Record<RecordKind, string>> = {
  Notice:
    '__typename id agency { code } disclosure tlp handling colour status reference title { text } charges { text } issuedOn requestingCountry recipients { code } subject { id }',
  Subject:
    '__typename id agency { code } disclosure tlp handling kind names { full script } gender datesOfBirth { date } nationalities identityDocuments { number } notices { id } cases { id }',
  Case: '__typename id agency { code } disclosure tlp handling reference title { text } crimeTypes status openedOn subjects { id } participants { role subject { id } } participatingAgencies { code }',
};

/** The root fields of each kind: one record by id, and the list. */
export const ROOT_FIELDS: Readonly<Record<RecordKind, { one: string; list: string }>> = {
  Notice: { one: 'notice', list: 'notices' },
  Subject: { one: 'subject', list: 'subjects' },
  Case: { one: 'case', list: 'cases' },
};
