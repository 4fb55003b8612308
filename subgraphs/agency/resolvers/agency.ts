import type { Directory } from '../../../lib/config/directory.js';
import { GraphQLError } from 'graphql';
import type { Resolvers } from '../generated/resolvers-types.js';

export function agencyResolvers(directory: Directory): Resolvers {
  return {
    Agency: {
      __resolveReference: (ref) => ({ code: ref.code }),
      // From the node's copy of the directory: naming a record's owner (or a diffusion's
      // recipients) is not worth a call to the directory. The gateway checks the name against
      // its own copy (gateway/datasources/answer-walker.ts), so a node cannot rename anyone.
      name: (agency) => {
        const entry = directory.agency(agency.code);
        if (!entry) throw new GraphQLError(`Agency ${agency.code} is not in the directory.`);
        return entry.name;
      },
      // A node knows only its own holdings, counted as this caller may know of them.
      holdings: (agency, _args, context) => (agency.code === context.agency ? context.reader.holdings() : null),
    },
  };
}
