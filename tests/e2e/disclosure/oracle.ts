import { loadConfig } from '../../../lib/config/index.js';
import { generateDataset } from '../../../subgraphs/agency/seed/generate.js';
import type { AgencyDataset, RecordLabels, TextRecord } from '../../../subgraphs/agency/store/records.js';

// The decision table of docs/disclosure.md, written again here from the spec and the
// fixtures alone: nothing in this file calls (or imports) subgraphs/agency/policy/, the
// module under test. Given a partner and a record of a store, it says at which level the
// record must come back and what exactly the answer must contain.

export type Level = 'FULL' | 'HIT_ONLY' | 'NONE';
export const LEVELS: readonly Level[] = ['FULL', 'HIT_ONLY', 'NONE'];

export type Kind = 'notice' | 'subject' | 'case';
export const KINDS: readonly Kind[] = ['notice', 'subject', 'case'];

/** A caller as the nodes see it after verification: its agency and directory circles. */
export interface Partner {
  agency: string;
  circles: string[];
}

/** The directory's data the federation under test loads (the default directory file). */
const DIRECTORY = loadConfig().directory;

/** Every agency of the directory. */
export const PARTNER_CODES: readonly string[] = DIRECTORY.agencies.map((entry) => entry.code);

/** The circles whose member list names the agency. */
export function directoryCircles(agency: string): string[] {
  return DIRECTORY.circles.filter((circle) => circle.members.includes(agency)).map((circle) => circle.code);
}

export function partner(agency: string): Partner {
  return { agency, circles: directoryCircles(agency) };
}

/** docs/disclosure.md, "Disclosure levels". */
export function expectedLevel(caller: Partner, owner: string, labels: RecordLabels): Level {
  return mayReadFully(caller, owner, labels) ? 'FULL' : labels.discoverable ? 'HIT_ONLY' : 'NONE';
}

function mayReadFully(caller: Partner, owner: string, labels: RecordLabels): boolean {
  if (caller.agency === owner) return true;
  const namesAgency = labels.releasableTo.includes(caller.agency);
  const namesOneOfItsCircles = labels.releasableTo.some((code) => caller.circles.includes(code));
  switch (labels.tlp) {
    case 'CLEAR':
      return true;
    case 'GREEN': {
      const sharesCircleWithOwner = directoryCircles(owner).some((circle) => caller.circles.includes(circle));
      return sharesCircleWithOwner || namesAgency || namesOneOfItsCircles;
    }
    case 'AMBER':
      return namesAgency || namesOneOfItsCircles;
    case 'AMBER_STRICT':
      return namesAgency;
    case 'RED':
      return false;
    default:
      throw new Error(`unexpected TLP label ${String(labels.tlp)}`);
  }
}

// ---------------------------------------------------------------------------------------
// The fixture every node seeds on first start.

export interface Store {
  owner: string;
  dataset: AgencyDataset;
  localIds: Record<Kind, string[]>;
}

export function loadStore(owner: string): Store {
  const dataset = generateDataset(owner);
  return {
    owner,
    dataset,
    localIds: {
      notice: dataset.notices.map((n) => n.localId),
      subject: dataset.subjects.map((s) => s.localId),
      case: dataset.cases.map((c) => c.localId),
    },
  };
}

export function labelsOf(store: Store, localId: string): RecordLabels {
  const labels = store.dataset.labels[localId];
  if (!labels) throw new Error(`fixture ${store.owner} has no labels for ${localId}`);
  return labels;
}

export function levelOf(caller: Partner, store: Store, localId: string): Level {
  return expectedLevel(caller, store.owner, labelsOf(store, localId));
}

/** How many records of each kind the caller may know of at the store (FULL or HIT_ONLY). */
export function knownCounts(caller: Partner, store: Store): Record<'notices' | 'subjects' | 'cases', number> {
  const count = (kind: Kind) => store.localIds[kind].filter((id) => levelOf(caller, store, id) !== 'NONE').length;
  return { notices: count('notice'), subjects: count('subject'), cases: count('case') };
}

// ---------------------------------------------------------------------------------------
// What is asked, and what must come back.

export const SELECTIONS: Record<Kind, string> = {
  notice: '__typename id disclosure colour tlp handling reference title { text } subject { id disclosure } agency { code }',
  subject:
    '__typename id disclosure kind tlp handling names { full } datesOfBirth { date } nationalities identityDocuments { number } ' +
    'notices { id disclosure } cases { id disclosure } agency { code }',
  case: '__typename id disclosure tlp handling reference crimeTypes subjects { id disclosure } agency { code }',
};

const TYPENAMES: Record<Kind, string> = { notice: 'Notice', subject: 'Subject', case: 'Case' };

export interface Batch {
  key: string;
  owner: string;
  kind: Kind;
  localIds: string[];
  /** Alias of localIds[i] is `r${i}`. */
  query: string;
}

/** Aliased lookups, `size` per request, one store and one kind per request. */
export function buildBatches(stores: readonly Store[], size: number, selections: Record<Kind, string> = SELECTIONS): Batch[] {
  const batches: Batch[] = [];
  for (const store of stores) {
    for (const kind of KINDS) {
      const ids = store.localIds[kind];
      for (let start = 0; start < ids.length; start += size) {
        const localIds = ids.slice(start, start + size);
        const fragment = `${TYPENAMES[kind]}Fields`;
        const lookups = localIds.map((id, i) => `r${i}: ${kind}(id: "${store.owner}:${id}") { ...${fragment} }`).join('\n');
        batches.push({
          key: `${store.owner}/${kind}/${start}`,
          owner: store.owner,
          kind,
          localIds,
          query: `query Matrix {\n${lookups}\n}\nfragment ${fragment} on ${TYPENAMES[kind]} { ${selections[kind]} }`,
        });
      }
    }
  }
  return batches;
}

type Ref = { id: string; disclosure: Level };

/**
 * The far end of a link from a record disclosed in full. docs/disclosure.md, "Links": a link
 * is disclosed only when both of its ends are disclosed in full; a HIT_ONLY record at the far
 * end is left out like a NONE one (it stays discoverable on its own).
 */
function ref(caller: Partner, store: Store, localId: string): Ref | null {
  return levelOf(caller, store, localId) === 'FULL' ? { id: `${store.owner}:${localId}`, disclosure: 'FULL' } : null;
}

function refs(caller: Partner, store: Store, localIds: readonly string[]): Ref[] {
  return [...new Set(localIds)].map((id) => ref(caller, store, id)).filter((r): r is Ref => r !== null);
}

function originalText(rows: readonly TextRecord[]): { text: string } | null {
  const original = rows.find((row) => row.original) ?? rows[0];
  return original ? { text: original.text } : null;
}

/**
 * The answer a lookup must give, in canonical form (lists sorted, see canonical()):
 * null for NONE, id/agency/kind/disclosure and nulls for HIT_ONLY, the fixture for FULL.
 */
export function expectedAnswer(caller: Partner, store: Store, kind: Kind, localId: string): Record<string, unknown> | null {
  const level = levelOf(caller, store, localId);
  if (level === 'NONE') return null;
  const labels = labelsOf(store, localId);
  const id = `${store.owner}:${localId}`;
  const full = level === 'FULL';
  const common = {
    __typename: TYPENAMES[kind],
    id,
    disclosure: level,
    tlp: full ? labels.tlp : null,
    handling: full ? labels.handling : null,
    agency: { code: store.owner },
  };
  const { dataset } = store;
  switch (kind) {
    case 'notice': {
      const notice = dataset.notices.find((n) => n.localId === localId)!;
      return canonical(kind, {
        ...common,
        colour: notice.colour,
        reference: full ? notice.reference : null,
        title: full ? originalText(notice.title) : null,
        subject: full ? ref(caller, store, notice.subjectLocalId) : null,
      });
    }
    case 'subject': {
      const subject = dataset.subjects.find((s) => s.localId === localId)!;
      return canonical(kind, {
        ...common,
        kind: subject.kind,
        names: full ? subject.names.map((name) => ({ full: name.full })) : null,
        datesOfBirth: full ? subject.birthDates.map((date) => ({ date: date.date })) : null,
        nationalities: full ? [...subject.nationalities] : null,
        identityDocuments: full ? subject.documents.map((doc) => ({ number: doc.number })) : null,
        notices: full
          ? refs(
              caller,
              store,
              dataset.notices.filter((n) => n.subjectLocalId === localId).map((n) => n.localId),
            )
          : null,
        cases: full
          ? refs(
              caller,
              store,
              dataset.cases.filter((c) => c.subjects.some((s) => s.subjectLocalId === localId)).map((c) => c.localId),
            )
          : null,
      });
    }
    case 'case': {
      const record = dataset.cases.find((c) => c.localId === localId)!;
      return canonical(kind, {
        ...common,
        reference: full ? record.reference : null,
        crimeTypes: full ? [...record.crimeTypes] : null,
        subjects: full
          ? refs(
              caller,
              store,
              record.subjects.map((s) => s.subjectLocalId),
            )
          : null,
      });
    }
  }
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Sorts the lists of an answer whose order the contract does not fix, so answers compare by value. */
export function canonical(kind: Kind, value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = { ...value };
  const sortBy = <T>(field: string, key: (item: T) => string) => {
    const list = out[field];
    if (Array.isArray(list)) out[field] = [...(list as T[])].sort(byKey(key));
  };
  const str = (item: unknown) => String(item);
  const idOf = (item: { id: string }) => item.id;
  if (kind === 'subject') {
    sortBy('names', (item: { full: string }) => item.full);
    sortBy('datesOfBirth', (item: { date: string | null }) => String(item.date));
    sortBy('nationalities', str);
    sortBy('identityDocuments', (item: { number: string }) => item.number);
    sortBy('notices', idOf);
    sortBy('cases', idOf);
  }
  if (kind === 'case') {
    sortBy('crimeTypes', str);
    sortBy('subjects', idOf);
  }
  return out;
}

/** JSON with object keys sorted, so answers compare by value whatever order their fields come in. */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Runs fn over items with at most `limit` calls in flight; results keep the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
