import type { Resolvers } from '../generated/resolvers-types.js';
import { screen } from '../screening/screen.js';
import { isAddressed, pageSize } from './ids.js';

// What a hit shows is decided where it is scored (screening/withheld.ts): a HIT_ONLY hit
// arrives here without matched name or explanation.
export const screeningResolvers: Resolvers = {
  Query: {
    screen: (_root, { person, minScore, first, agencies }, context) =>
      isAddressed(agencies, context) ? screen(context.reader, person, minScore ?? null, pageSize(first)) : [],
  },
  ScreeningHit: {
    disclosure: (hit) => hit.subject.disclosure,
    agency: (_hit, _args, context) => ({ code: context.agency }),
    record: (hit) => hit.subject,
    explanation: (hit) => hit.reasons,
  },
  ScreeningRecord: {
    __resolveType: () => 'Subject',
  },
};
