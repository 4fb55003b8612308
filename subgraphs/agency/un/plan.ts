import { createHash } from 'node:crypto';
import type { KnownUnListing, UnListingWrite } from '../store/un-listings.js';
import type { UnEntry } from './entry.js';
import { UnListError } from './xml.js';

// Decides, entry by entry, what an imported list changes in the store. Entries are matched
// to listings already held by reference number, then by DATAID (the UN renumbers entries
// rarely, but does). Local ids come from the reference number at first import and never
// change, so they cannot collide with the demo data's N-/S- ids.

export type Decision = { change: 'added' | 'updated'; write: UnListingWrite } | null;

const MAX_ID_BASE = 56;

export class ImportPlan {
  readonly counts = { persons: 0, organisations: 0, added: 0, updated: 0, unchanged: 0 };
  private readonly byReference: Map<string, KnownUnListing>;
  private readonly byDataId: Map<string, KnownUnListing>;
  private readonly claimed = new Set<KnownUnListing>();
  private readonly references = new Set<string>();
  private readonly takenIds: Set<string>;

  constructor(private readonly known: readonly KnownUnListing[]) {
    this.byReference = new Map(known.map((listing) => [listing.referenceNumber, listing]));
    this.byDataId = new Map(known.map((listing) => [listing.dataId, listing]));
    this.takenIds = new Set(known.flatMap((listing) => [listing.noticeId, listing.subjectId]));
  }

  /** What to write for one entry of the list; null when the store already holds it as it is. */
  decide(entry: UnEntry): Decision {
    if (this.references.has(entry.referenceNumber)) {
      throw new UnListError(`reference number ${entry.referenceNumber} appears twice in the list`);
    }
    this.references.add(entry.referenceNumber);
    this.counts[entry.kind === 'PERSON' ? 'persons' : 'organisations'] += 1;
    const known = [this.byReference.get(entry.referenceNumber), this.byDataId.get(entry.dataId)].find(
      (listing) => listing !== undefined && !this.claimed.has(listing),
    );
    if (known) this.claimed.add(known);
    const write = toWrite(entry, known ?? this.newIds(entry.referenceNumber));
    if (known && known.fingerprint === write.listing.fingerprint && known.delistedOn === null) {
      this.counts.unchanged += 1;
      return null;
    }
    this.counts[known ? 'updated' : 'added'] += 1;
    return { change: known ? 'updated' : 'added', write };
  }

  /** Notice ids of listed entries the list did not hold: they are delisted. */
  absent(): string[] {
    return this.known.filter((listing) => !this.claimed.has(listing) && listing.delistedOn === null).map((listing) => listing.noticeId);
  }

  private newIds(referenceNumber: string): { noticeId: string; subjectId: string } {
    const base = referenceNumber.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, MAX_ID_BASE);
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : `-${n}`;
      const ids = { noticeId: `UN-${base}${suffix}`, subjectId: `UNS-${base}${suffix}` };
      if (!this.takenIds.has(ids.noticeId) && !this.takenIds.has(ids.subjectId)) {
        this.takenIds.add(ids.noticeId).add(ids.subjectId);
        return ids;
      }
    }
  }
}

function toWrite(entry: UnEntry, { noticeId, subjectId }: { noticeId: string; subjectId: string }): UnListingWrite {
  const content = {
    subject: {
      localId: subjectId,
      kind: entry.kind,
      gender: entry.gender,
      names: entry.names,
      birthDates: entry.birthDates,
      nationalities: entry.nationalities,
      documents: entry.documents,
    },
    notice: {
      localId: noticeId,
      colour: 'UN_SPECIAL' as const,
      status: 'ACTIVE' as const,
      subjectLocalId: subjectId,
      reference: entry.referenceNumber,
      issuedOn: entry.listedOn,
      requestingCountry: null,
      title: [
        {
          language: 'en',
          text: `INTERPOL–United Nations Security Council Special Notice (${entry.listType} sanctions list)`,
          original: true,
        },
      ],
    },
    listing: {
      noticeId,
      subjectId,
      referenceNumber: entry.referenceNumber,
      dataId: entry.dataId,
      versionNumber: entry.versionNumber,
      listType: entry.listType,
      listedOn: entry.listedOn,
      comments: entry.comments,
      firstName: entry.firstName,
      secondName: entry.secondName,
      thirdName: entry.thirdName,
      fourthName: entry.fourthName,
      lastUpdated: JSON.stringify(entry.lastUpdated),
      titles: JSON.stringify(entry.titles),
      designations: JSON.stringify(entry.designations),
      placesOfBirth: JSON.stringify(entry.placesOfBirth),
      addresses: JSON.stringify(entry.addresses),
      raw: entry.raw && JSON.stringify(entry.raw),
      delistedOn: null,
    },
  };
  // Everything the import writes goes into the fingerprint, so any change shows.
  const fingerprint = createHash('sha256').update(JSON.stringify(content)).digest('hex');
  return { ...content, listing: { ...content.listing, fingerprint } };
}
