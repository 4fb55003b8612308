import type DataLoader from 'dataloader';
import type { NodeContext } from '../context.js';
import type { Loaders } from '../loaders.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { assertMayReadRecords } from '../policy/permissions.js';
import type { CaseRow, NoticeRow, SubjectRow } from '../store/store.js';
import { globalId, isAddressed, ownLocalId, ownLocalIdOrNull, pageSize } from './ids.js';
import { localizedText } from './text.js';

/** The labels every record type shows; the policy layer nulls them below FULL. */
const labelFields = {
  releasableTo: async (record: NoticeRow | SubjectRow | CaseRow, _args: unknown, context: NodeContext) =>
    (await context.loaders.releasability.load(record.localId)).map((row) => row.audience),
  discoverable: (record: NoticeRow | SubjectRow | CaseRow) => record.discoverable === 1,
};

/** Entity references are decided like any other read: the caller's scope, and a reader's role. */
function reference<Row>(loader: (loaders: Loaders) => DataLoader<string, Row | null>) {
  return (ref: { id: string }, context: NodeContext) => {
    assertMayReadRecords(context);
    const localId = ownLocalIdOrNull(ref.id, context);
    return localId ? loader(context.loaders).load(localId) : null;
  };
}

export const recordResolvers: Resolvers = {
  Query: {
    notices: async (_root, { first, filter, agencies }, context) =>
      isAddressed(agencies, context)
        ? context.note(await context.store.listNotices(context.scope, { first: pageSize(first), colours: filter?.colours, statuses: filter?.statuses }))
        : [],
    notice: (_root, { id }, context) => context.loaders.notice.load(ownLocalId(id, context)),
    subjects: async (_root, { first, filter, agencies }, context) =>
      isAddressed(agencies, context)
        ? context.note(
            await context.store.listSubjects(context.scope, {
              first: pageSize(first),
              kinds: filter?.kinds,
              name: filter?.name,
              nationality: filter?.nationality,
            }),
          )
        : [],
    subject: (_root, { id }, context) => context.loaders.subject.load(ownLocalId(id, context)),
    cases: async (_root, { first, filter, agencies }, context) =>
      isAddressed(agencies, context)
        ? context.note(await context.store.listCases(context.scope, { first: pageSize(first), crimeTypes: filter?.crimeTypes, statuses: filter?.statuses }))
        : [],
    case: (_root, { id }, context) => context.loaders.case.load(ownLocalId(id, context)),
  },

  Notice: {
    __resolveReference: reference((loaders) => loaders.notice),
    ...labelFields,
    id: (notice, _args, context) => globalId(context, notice.localId),
    agency: (_notice, _args, context) => ({ code: context.agency }),
    subject: (notice, _args, context) => context.loaders.subject.load(notice.subjectId),
    title: async (notice, _args, context) => localizedText(await context.loaders.titles.load(notice.localId)),
    charges: async (notice, _args, context) => localizedText(await context.loaders.charges.load(notice.localId)),
    recipients: async (notice, _args, context) =>
      (await context.loaders.recipients.load(notice.localId)).map((row) => ({ code: row.agency })),
  },

  Subject: {
    __resolveReference: reference((loaders) => loaders.subject),
    ...labelFields,
    id: (subject, _args, context) => globalId(context, subject.localId),
    agency: (_subject, _args, context) => ({ code: context.agency }),
    names: (subject, _args, context) => context.loaders.names.load(subject.localId),
    datesOfBirth: (subject, _args, context) => context.loaders.birthDates.load(subject.localId),
    nationalities: async (subject, _args, context) =>
      (await context.loaders.nationalities.load(subject.localId)).map((row) => row.country),
    identityDocuments: (subject, _args, context) => context.loaders.documents.load(subject.localId),
    notices: (subject, _args, context) => context.loaders.noticesOfSubject.load(subject.localId),
    cases: async (subject, _args, context) => {
      const links = await context.loaders.caseLinksOfSubject.load(subject.localId);
      const caseIds = [...new Set(links.map((link) => link.caseId))];
      return present(await context.loaders.case.loadMany(caseIds));
    },
  },

  DateOfBirth: {
    from: (date) => date.dateFrom,
    to: (date) => date.dateTo,
  },

  Case: {
    __resolveReference: reference((loaders) => loaders.case),
    ...labelFields,
    id: (record, _args, context) => globalId(context, record.localId),
    agency: (_record, _args, context) => ({ code: context.agency }),
    title: async (record, _args, context) => localizedText(await context.loaders.titles.load(record.localId)),
    crimeTypes: async (record, _args, context) =>
      (await context.loaders.crimeTypes.load(record.localId)).map((row) => row.crimeType),
    subjects: async (record, { roles }, context) => {
      const links = await context.loaders.caseLinksOfCase.load(record.localId);
      const wanted = roles?.length ? links.filter((link) => roles.includes(link.role)) : links;
      const subjectIds = [...new Set(wanted.map((link) => link.subjectId))];
      return present(await context.loaders.subject.loadMany(subjectIds));
    },
    participants: async (record, _args, context) => {
      // A participant whose subject the caller may not know of is left out, like the subject.
      const links = await context.loaders.caseLinksOfCase.load(record.localId);
      const subjects = await context.loaders.subject.loadMany(links.map((link) => link.subjectId));
      return links.filter((_link, i) => subjects[i] !== null && !(subjects[i] instanceof Error));
    },
    participatingAgencies: async (record, _args, context) =>
      (await context.loaders.caseAgencies.load(record.localId)).map((row) => ({ code: row.agency })),
  },

  CaseParticipant: {
    subject: async (link, _args, context) => {
      const subject = await context.loaders.subject.load(link.subjectId);
      if (!subject) throw new Error(`Case participant ${link.subjectId} has no subject row`);
      return subject;
    },
  },
};

/** Drops rows that are gone (null) and rethrows the first load error. */
function present<Row>(results: readonly (Row | null | Error)[]): Row[] {
  return results.filter((result): result is Row => {
    if (result instanceof Error) throw result;
    return result !== null;
  });
}
