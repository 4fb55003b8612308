import type { Resolvers } from '../generated/resolvers-types.js';
import { localizedText, wantedLanguages } from './text.js';

// The UN fields of imported UN_SPECIAL notices and their subjects (schema/records.un.graphql).
// They are fields of Notice and Subject, so a HIT_ONLY record withholds them like any other;
// the listing is read only for records the caller has already been given.

/** The language the UN Security Council publishes its Consolidated List in. */
const UN_LIST_LANGUAGE = 'en';

const jsonList = <T>(json: string): T[] => JSON.parse(json) as T[];

export const unResolvers: Resolvers = {
  Notice: {
    unListing: async (notice, _args, context) => (await context.reader.content('unListingOfNotice', notice))[0] ?? null,
  },
  Subject: {
    unEntry: async (subject, _args, context) => (await context.reader.content('unListingOfSubject', subject))[0] ?? null,
  },
  UnListing: {
    lastUpdated: (listing) => jsonList(listing.lastUpdated),
    // The Consolidated List is published in English: its narrative has one version, the original.
    narrative: (listing, { lang }, context) =>
      listing.comments
        ? localizedText([{ language: UN_LIST_LANGUAGE, text: listing.comments, original: true }], wantedLanguages(lang, context))
        : null,
  },
  UnListEntry: {
    titles: (entry) => jsonList(entry.titles),
    designations: (entry) => jsonList(entry.designations),
    placesOfBirth: (entry) => jsonList(entry.placesOfBirth),
    addresses: (entry) => jsonList(entry.addresses),
  },
};
