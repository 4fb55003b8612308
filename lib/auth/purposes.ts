// Why a partner asks. Required on every request (header X-Purpose) and recorded with
// every disclosure, so an owner can show what its records were used for.

export const PURPOSES = {
  CRIMINAL_INVESTIGATION: 'Investigating a specific offence.',
  BORDER_CONTROL: 'Checking a person, document or vehicle at a border.',
  MISSING_PERSON: 'Locating or identifying a missing person.',
  COUNTER_TERRORISM: 'Preventing or investigating terrorist offences.',
  ASSET_RECOVERY: 'Tracing and recovering proceeds of crime.',
  SANCTIONS_SCREENING: 'Checking persons and entities against sanctions lists.',
  VICTIM_IDENTIFICATION: 'Identifying victims, e.g. of trafficking or disasters.',
  MUTUAL_LEGAL_ASSISTANCE: 'Following up a request for assistance between agencies.',
} as const;

export type Purpose = keyof typeof PURPOSES;

export function isPurpose(value: string): value is Purpose {
  return Object.hasOwn(PURPOSES, value);
}
