// Global record ids are `<AGENCY>:<local id>`: the prefix names the owner, so any party
// can route a record to the one node that holds it without asking anyone.

const AGENCY_CODE = /^[A-Z][A-Z0-9-]{1,31}$/;
const LOCAL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface RecordId {
  agency: string;
  localId: string;
}

export class MalformedIdError extends Error {
  constructor(readonly id: string) {
    super(`Malformed id ${JSON.stringify(truncate(id))}: record ids look like <AGENCY>:<local id>, e.g. "INTERPOL:N-00001".`);
  }
}

/** Whether `value` has the syntax of an agency code (whether the directory lists it is another question). */
export function isWellFormedAgencyCode(value: string): boolean {
  return AGENCY_CODE.test(value);
}

export function parseRecordId(id: string): RecordId {
  const colon = id.indexOf(':');
  const agency = id.slice(0, colon);
  const localId = id.slice(colon + 1);
  if (colon < 0 || !AGENCY_CODE.test(agency) || !LOCAL_ID.test(localId)) throw new MalformedIdError(id);
  return { agency, localId };
}

export function formatRecordId(agency: string, localId: string): string {
  return `${agency}:${localId}`;
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
