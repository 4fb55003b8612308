import type { AgencyEntry, Directory } from '../../lib/config/directory.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** The directory's resolvers, over the directory data this process loaded at start. */
export function directoryResolvers(directory: Directory): Resolvers {
  const known = (codes: readonly string[]): AgencyEntry[] => codes.flatMap((code) => directory.agency(code) ?? []);
  return {
    Query: {
      agencies: (_root, { kind, circle, codes }) => {
        const members = circle ? new Set(directory.circle(circle)?.members ?? []) : null;
        return (codes ? known(codes) : [...directory.agencies]).filter(
          (agency) => (!kind || agency.kind === kind) && (!members || members.has(agency.code)),
        );
      },
      agency: (_root, { code }) => directory.agency(code) ?? null,
      trustCircles: () => [...directory.circles],
      trustCircle: (_root, { code }) => directory.circle(code) ?? null,
    },
    Agency: {
      __resolveReference: (ref) => directory.agency(ref.code) ?? null,
      circles: (agency) => directory.circles.filter((circle) => circle.members.includes(agency.code)),
    },
    TrustCircle: {
      members: (circle) => known(circle.members),
    },
  };
}
