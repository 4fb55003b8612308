import { AGENCIES, TRUST_CIRCLES, type AgencyEntry } from './agencies.js';
import type { Resolvers } from './generated/resolvers-types.js';

const agencyByCode = new Map(AGENCIES.map((agency) => [agency.code, agency]));
const circleByCode = new Map(TRUST_CIRCLES.map((circle) => [circle.code, circle]));

function known(codes: readonly string[]): AgencyEntry[] {
  return codes.flatMap((code) => agencyByCode.get(code) ?? []);
}

export const directoryResolvers: Resolvers = {
  Query: {
    agencies: (_root, { kind, circle, codes }) => {
      const members = circle ? new Set(circleByCode.get(circle)?.members ?? []) : null;
      return (codes ? known(codes) : [...AGENCIES]).filter(
        (agency) => (!kind || agency.kind === kind) && (!members || members.has(agency.code)),
      );
    },
    agency: (_root, { code }) => agencyByCode.get(code) ?? null,
    trustCircles: () => [...TRUST_CIRCLES],
    trustCircle: (_root, { code }) => circleByCode.get(code) ?? null,
  },
  Agency: {
    __resolveReference: (ref) => agencyByCode.get(ref.code) ?? null,
    circles: (agency) => TRUST_CIRCLES.filter((circle) => circle.members.includes(agency.code)),
  },
  TrustCircle: {
    members: (circle) => known(circle.members),
  },
};
