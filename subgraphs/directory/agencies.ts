import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The directory's data: who takes part, in which trust circles. Public and small; it lives
// in a JSON file (DIRECTORY_FILE, default directory.json beside this module), so an agency
// joins by an edit of data and a restart, not a change of code. The directory serves it;
// the gateway and every node read the same file to check the agency a token claims and
// the circles it may claim.

export type AgencyKind = 'GLOBAL' | 'REGIONAL' | 'NATIONAL';

export interface AgencyEntry {
  code: string;
  name: string;
  kind: AgencyKind;
  region: string;
  languages: string[];
  hostsNode: boolean;
}

export interface TrustCircleEntry {
  code: string;
  name: string;
  description: string;
  members: string[];
}

interface DirectoryFile {
  agencies: AgencyEntry[];
  /** `"members": "*"` means every agency of the directory. */
  trustCircles: (Omit<TrustCircleEntry, 'members'> & { members: string[] | '*' })[];
}

const DIRECTORY_FILE = path.resolve(
  process.env.DIRECTORY_FILE ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'directory.json'),
);

function load(): { agencies: AgencyEntry[]; circles: TrustCircleEntry[] } {
  let data: DirectoryFile;
  try {
    data = JSON.parse(readFileSync(DIRECTORY_FILE, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the directory file ${DIRECTORY_FILE}: ${(error as Error).message}`);
  }
  if (!Array.isArray(data.agencies) || !Array.isArray(data.trustCircles)) {
    throw new Error(`${DIRECTORY_FILE}: expected { "agencies": [...], "trustCircles": [...] }.`);
  }
  const codes = new Set<string>();
  for (const agency of data.agencies) {
    if (!/^[A-Z][A-Z0-9-]{1,31}$/.test(agency.code) || codes.has(agency.code)) {
      throw new Error(`${DIRECTORY_FILE}: agency code ${JSON.stringify(agency.code)} is invalid or listed twice.`);
    }
    codes.add(agency.code);
  }
  // releasableTo mixes agency and circle codes: a circle must never be mistaken for an agency.
  const circleCodes = new Set<string>();
  const circles = data.trustCircles.map((circle) => {
    if (!/^[A-Z][A-Z0-9-]{1,31}$/.test(circle.code) || circleCodes.has(circle.code) || codes.has(circle.code)) {
      throw new Error(`${DIRECTORY_FILE}: circle code ${JSON.stringify(circle.code)} is invalid, listed twice or an agency's code.`);
    }
    circleCodes.add(circle.code);
    if (circle.members !== '*' && !Array.isArray(circle.members)) {
      throw new Error(`${DIRECTORY_FILE}: circle ${circle.code} must list its members, or "*" for every agency.`);
    }
    const members = circle.members === '*' ? [...codes] : circle.members;
    const unknown = members.filter((code) => !codes.has(code));
    if (unknown.length > 0) throw new Error(`${DIRECTORY_FILE}: circle ${circle.code} lists unknown agencies ${unknown.join(', ')}.`);
    return { ...circle, members };
  });
  return { agencies: data.agencies, circles };
}

const directory = load();

export const AGENCIES: readonly AgencyEntry[] = directory.agencies;
export const TRUST_CIRCLES: readonly TrustCircleEntry[] = directory.circles;

/** The trust circles the directory lists an agency in. */
export function circlesOf(agency: string): string[] {
  return TRUST_CIRCLES.filter((circle) => circle.members.includes(agency)).map((circle) => circle.code);
}
