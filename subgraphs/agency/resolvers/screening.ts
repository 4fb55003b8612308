import type { Resolvers } from '../generated/resolvers-types.js';
import { screen } from '../screening/screen.js';
import { isAddressed } from './ids.js';

export const screeningResolvers: Resolvers = {
  Query: {
    screen: (_root, { person, minScore, first, agencies }, context) =>
      isAddressed(agencies, context) ? screen(context, person, minScore ?? 0.8, first ?? 20) : [],
  },
  ScreeningHit: {
    disclosure: (hit) => hit.subject.disclosure,
    agency: (_hit, _args, context) => ({ code: context.agency }),
    record: (hit) => hit.subject,
    // A hit the caller may only know of carries owner, id and score: nothing that matched.
    matchedName: (hit) => (hit.subject.disclosure === 'FULL' ? hit.matchedName : null),
    explanation: (hit) => (hit.subject.disclosure === 'FULL' ? hit.reasons : null),
  },
  ScreeningRecord: {
    __resolveType: () => 'Subject',
  },
};
