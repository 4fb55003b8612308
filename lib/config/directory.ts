import { parseConfigFile, readJsonFile } from './issues.js';
import { directoryFileSchema } from './directory-schema.js';

// The directory's data: who takes part, in which trust circles. Public and small; it lives
// in a JSON file (DIRECTORY_FILE), so an agency joins by an edit of data and a restart, not
// a change of code. The directory serves it; the gateway and every node check the agency a
// token claims, and the circles it may claim, against the same value.

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
  /** Agency codes ("*" in the file is expanded to every agency). */
  members: string[];
}

export class Directory {
  private readonly agencyByCode: ReadonlyMap<string, AgencyEntry>;
  private readonly circleByCode: ReadonlyMap<string, TrustCircleEntry>;
  private readonly names: ReadonlySet<string>;

  constructor(
    /** In directory order. */
    readonly agencies: readonly AgencyEntry[],
    readonly circles: readonly TrustCircleEntry[],
  ) {
    this.agencyByCode = new Map(agencies.map((agency) => [agency.code, agency]));
    this.circleByCode = new Map(circles.map((circle) => [circle.code, circle]));
    this.names = new Set(agencies.map((agency) => agency.name));
  }

  hasAgency(code: string): boolean {
    return this.agencyByCode.has(code);
  }

  agency(code: string): AgencyEntry | undefined {
    return this.agencyByCode.get(code);
  }

  /** An agency's name; undefined for a code the directory does not list. */
  nameOf(code: string): string | undefined {
    return this.agencyByCode.get(code)?.name;
  }

  /** Whether some agency of the directory has this name. */
  isName(name: string): boolean {
    return this.names.has(name);
  }

  circle(code: string): TrustCircleEntry | undefined {
    return this.circleByCode.get(code);
  }

  /** The codes of the trust circles the directory lists an agency in. */
  circlesOf(agency: string): string[] {
    return this.circles.filter((circle) => circle.members.includes(agency)).map((circle) => circle.code);
  }
}

/** Reads and checks the directory's data file; a bad file is refused with one line naming it. */
export function loadDirectory(file: string): Directory {
  const data = readJsonFile(file, (reason) => `Cannot read the directory file ${file}: ${reason}`);
  const { agencies, circles } = parseConfigFile(directoryFileSchema, data, file);
  return new Directory(agencies, circles);
}
