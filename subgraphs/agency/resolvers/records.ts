import type { NodeContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { assertMayReadRecords } from '../policy/permissions.js';
import type { RecordReader } from '../reader/record-reader.js';
import type { RecordRow } from '../store/rows.js';
import { globalId, isAddressed, ownLocalId, ownLocalIdOrNull, pageSize } from './ids.js';
import { textField } from './text.js';

/** The labels every record type shows; the policy layer nulls them below FULL. */
const labelFields = {
  releasableTo: async (record: RecordRow, _args: unknown, context: NodeContext) =>
    (await context.reader.content('releasability', record)).map((row) => row.audience),
  discoverable: (record: RecordRow) => record.discoverable === 1,
};

/** Entity references are decided like any other read: the caller's scope, and a reader's role. */
function reference<Row>(read: (reader: RecordReader, localId: string) => Promise<Row | null>) {
  return (ref: { id: string }, context: NodeContext) => {
    assertMayReadRecords(context);
    const localId = ownLocalIdOrNull(ref.id, context);
    return localId ? read(context.reader, localId) : null;
  };
}

export const recordResolvers: Resolvers = {
  Query: {
    notices: (_root, { first, filter, agencies }, context) =>
      isAddressed(agencies, context)
        ? context.reader.listNotices({ first: pageSize(first), colours: filter?.colours, statuses: filter?.statuses })
        : [],
    notice: (_root, { id }, context) => context.reader.notice(ownLocalId(id, context)),
    subjects: (_root, { first, filter, agencies }, context) =>
      isAddressed(agencies, context)
        ? context.reader.listSubjects({
            first: pageSize(first),
            kinds: filter?.kinds,
            name: filter?.name,
            nationality: filter?.nationality,
          })
        : [],
    subject: (_root, { id }, context) => context.reader.subject(ownLocalId(id, context)),
    cases: (_root, { first, filter, agencies }, context) =>
      isAddressed(agencies, context)
        ? context.reader.listCases({ first: pageSize(first), crimeTypes: filter?.crimeTypes, statuses: filter?.statuses })
        : [],
    case: (_root, { id }, context) => context.reader.case(ownLocalId(id, context)),
  },

  Notice: {
    __resolveReference: reference((reader, localId) => reader.notice(localId)),
    ...labelFields,
    id: (notice, _args, context) => globalId(context, notice.localId),
    agency: (_notice, _args, context) => ({ code: context.agency }),
    subject: (notice, _args, context) => context.reader.linkedSubject(notice, notice.subjectId),
    title: (notice, { lang }, context) => textField(context.reader.content('titles', notice), lang, context),
    charges: (notice, { lang }, context) => textField(context.reader.content('charges', notice), lang, context),
    recipients: async (notice, _args, context) => (await context.reader.content('recipients', notice)).map((row) => ({ code: row.agency })),
  },

  Subject: {
    __resolveReference: reference((reader, localId) => reader.subject(localId)),
    ...labelFields,
    id: (subject, _args, context) => globalId(context, subject.localId),
    agency: (_subject, _args, context) => ({ code: context.agency }),
    names: (subject, _args, context) => context.reader.content('names', subject),
    datesOfBirth: (subject, _args, context) => context.reader.content('birthDates', subject),
    nationalities: async (subject, _args, context) => (await context.reader.content('nationalities', subject)).map((row) => row.country),
    identityDocuments: (subject, _args, context) => context.reader.content('documents', subject),
    notices: (subject, _args, context) => context.reader.noticesOfSubject(subject),
    cases: async (subject, _args, context) => {
      const links = await context.reader.content('caseLinksOfSubject', subject);
      return context.reader.linkedCases(subject, [...new Set(links.map((link) => link.caseId))]);
    },
  },

  DateOfBirth: {
    from: (date) => date.dateFrom,
    to: (date) => date.dateTo,
  },

  Case: {
    __resolveReference: reference((reader, localId) => reader.case(localId)),
    ...labelFields,
    id: (record, _args, context) => globalId(context, record.localId),
    agency: (_record, _args, context) => ({ code: context.agency }),
    title: (record, { lang }, context) => textField(context.reader.content('titles', record), lang, context),
    crimeTypes: async (record, _args, context) => (await context.reader.content('crimeTypes', record)).map((row) => row.crimeType),
    subjects: async (record, { roles }, context) => {
      const links = await context.reader.content('caseLinksOfCase', record);
      const wanted = roles?.length ? links.filter((link) => roles.includes(link.role)) : links;
      return context.reader.linkedSubjects(record, [...new Set(wanted.map((link) => link.subjectId))]);
    },
    participants: async (record, _args, context) => {
      // A participant whose subject the link rule withholds is left out, role and all, like the subject.
      const links = await context.reader.content('caseLinksOfCase', record);
      const subjects = new Map(
        (
          await context.reader.linkedSubjects(
            record,
            links.map((link) => link.subjectId),
          )
        ).map((subject) => [subject.localId, subject]),
      );
      return links.flatMap((link) => {
        const subject = subjects.get(link.subjectId);
        return subject ? [{ ...link, subject }] : [];
      });
    },
    participatingAgencies: async (record, _args, context) =>
      (await context.reader.content('caseAgencies', record)).map((row) => ({ code: row.agency })),
  },

  CaseParticipant: {
    subject: (participant) => participant.subject,
  },
};
