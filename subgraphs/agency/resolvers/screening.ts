import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../generated/resolvers-types.js';
import { screen } from '../screening/screen.js';
import { isAddressed, pageSize } from './ids.js';

// What a hit shows is decided where it is scored (screening/withheld.ts): a HIT_ONLY hit
// arrives here without matched name or explanation.
export const screeningResolvers: Resolvers = {
  Query: {
    screen: (_root, { person, minScore, first, agencies }, context, info) =>
      isAddressed(agencies, context)
        ? screen(context.reader, person, minScore ?? schemaDefault(info, 'minScore'), pageSize(first ?? schemaDefault(info, 'first')))
        : [],
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

/**
 * An argument sent as an explicit null means what leaving it out means: the default the
 * schema declares (schema/records.screening.graphql), its one home.
 */
function schemaDefault(info: GraphQLResolveInfo, argument: string): number {
  return info.parentType.getFields()[info.fieldName]!.args.find((arg) => arg.name === argument)!.defaultValue as number;
}
