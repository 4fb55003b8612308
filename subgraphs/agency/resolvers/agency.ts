import type { Resolvers } from '../generated/resolvers-types.js';

export const agencyResolvers: Resolvers = {
  Agency: {
    __resolveReference: (ref) => ({ code: ref.code }),
    // A node knows only its own holdings, counted as this caller may know of them.
    holdings: (agency, _args, context) => (agency.code === context.agency ? context.reader.holdings() : null),
  },
};
