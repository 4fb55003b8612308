import { z } from 'zod';
import { isWellFormedAgencyCode } from '../ids.js';
import type { AgencyEntry, TrustCircleEntry } from './directory.js';

// The directory's data file, checked as a whole before anything uses it. The messages are
// whole sentences (lib/config/issues.ts puts the file name in front of them).

const FILE_SHAPE = 'expected { "agencies": [...], "trustCircles": [...] }.';

const invalidAgencyCode = (code: unknown) => `agency code ${JSON.stringify(code)} is invalid or listed twice.`;
// releasableTo mixes agency and circle codes: a circle must never be mistaken for an agency.
const invalidCircleCode = (code: unknown) => `circle code ${JSON.stringify(code)} is invalid, listed twice or an agency's code.`;

/** A code with the syntax of record id prefixes; `describe` words the refusal. */
function codeSchema(describe: (code: unknown) => string) {
  return z.string({ error: (issue) => describe(issue.input) }).refine(isWellFormedAgencyCode, { error: (issue) => describe(issue.input) });
}

const agencySchema = z.object({
  code: codeSchema(invalidAgencyCode),
  name: z.string(),
  kind: z.enum(['GLOBAL', 'REGIONAL', 'NATIONAL']),
  region: z.string(),
  languages: z.array(z.string()),
  hostsNode: z.boolean(),
}) satisfies z.ZodType<AgencyEntry>;

/** `"members": "*"` means every agency of the directory. */
type CircleInFile = Omit<TrustCircleEntry, 'members'> & { members: string[] | '*' };

const circleSchema = z
  .object({ code: codeSchema(invalidCircleCode), name: z.string(), description: z.string(), members: z.unknown() })
  .transform((circle, context): CircleInFile => {
    const { members } = circle;
    if (members === '*' || (Array.isArray(members) && members.every((code) => typeof code === 'string'))) return { ...circle, members };
    context.addIssue({ code: 'custom', message: `circle ${circle.code} must list its members, or "*" for every agency.` });
    return z.NEVER;
  });

/** The file, with codes unique across agencies and circles and every member an agency of the directory. */
export const directoryFileSchema = z
  .object(
    { agencies: z.array(agencySchema, { error: FILE_SHAPE }), trustCircles: z.array(circleSchema, { error: FILE_SHAPE }) },
    { error: FILE_SHAPE },
  )
  .transform(({ agencies, trustCircles }, context) => {
    const refuse = (message: string) => {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const codes = new Set<string>();
    for (const agency of agencies) {
      if (codes.has(agency.code)) return refuse(invalidAgencyCode(agency.code));
      codes.add(agency.code);
    }
    const circleCodes = new Set<string>();
    const circles: TrustCircleEntry[] = [];
    for (const circle of trustCircles) {
      if (circleCodes.has(circle.code) || codes.has(circle.code)) return refuse(invalidCircleCode(circle.code));
      circleCodes.add(circle.code);
      const members = circle.members === '*' ? [...codes] : circle.members;
      const unknown = members.filter((code) => !codes.has(code));
      if (unknown.length > 0) return refuse(`circle ${circle.code} lists unknown agencies ${unknown.join(', ')}.`);
      circles.push({ ...circle, members });
    }
    return { agencies, circles };
  });
