import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PUBLIC_LABELS } from '../store/records.js';
import type { RecordStore } from '../store/store.js';
import { writeUnListings, type UnListingWrite } from '../store/un-listings.js';
import { checkEntryBounds } from './bounds.js';
import { mapEntry } from './entry.js';
import { UN_IMPORT_LIMITS, type UnImportLimits } from './limits.js';
import { ImportPlan } from './plan.js';
import { UnListError, UnListReader } from './xml.js';

// Imports a UN Security Council Consolidated List file into an agency's store as
// INTERPOL-UN Special Notices, streaming it entry by entry inside one transaction: a file
// that turns out truncated or malformed halfway leaves the store exactly as it was. So does
// a file over one of the caps of limits.ts: the file's size is checked before the
// transaction opens, the rest while reading, each entry before it is mapped or written.

export interface ImportSummary {
  /** The date the UN generated the list (or of the import, when the file does not say). */
  generatedOn: string;
  persons: number;
  organisations: number;
  added: number;
  updated: number;
  delisted: number;
  unchanged: number;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  entries: number;
}

/** Entries written per round of multi-row statements. */
const BATCH = 100;

export async function importUnList(
  store: RecordStore,
  file: string,
  onProgress?: (progress: ImportProgress) => void,
  /** The documented caps; a test may lower one to keep its files small. */
  limits: Readonly<UnImportLimits> = UN_IMPORT_LIMITS,
): Promise<ImportSummary> {
  const totalBytes = await sizeOf(file);
  if (totalBytes > limits.fileBytes) throw new UnListError(`${file} is ${totalBytes} bytes, over the cap of ${limits.fileBytes} bytes`);
  const reader = new UnListReader(limits);
  const input = createReadStream(file, { encoding: 'utf8' });
  try {
    return await writeUnListings(store, async (writer) => {
      const plan = new ImportPlan(await writer.known());
      let added: UnListingWrite[] = [];
      let updated: UnListingWrite[] = [];
      const flush = async () => {
        await writer.add(added, PUBLIC_LABELS);
        await writer.replace(updated);
        [added, updated] = [[], []];
      };
      let entries = 0;
      for await (const entry of reader.entries(input)) {
        checkEntryBounds(entry, ++entries, limits);
        const decision = plan.decide(mapEntry(entry.kind, entry.element, entries));
        if (decision?.change === 'added') added.push(decision.write);
        if (decision?.change === 'updated') updated.push(decision.write);
        if (added.length + updated.length >= BATCH) await flush();
        onProgress?.({ bytesRead: input.bytesRead, totalBytes, entries });
      }
      await flush();
      if (entries === 0) throw new UnListError('the list holds no INDIVIDUAL or ENTITY entry; refusing to delist every entry');
      const generatedOn = reader.generatedOn ?? new Date().toISOString().slice(0, 10);
      const gone = plan.absent();
      await writer.delist(gone, generatedOn);
      return { generatedOn, ...plan.counts, delisted: gone.length };
    });
  } finally {
    input.destroy();
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    const stats = await stat(file);
    if (!stats.isFile()) throw new UnListError(`${file} is not a file`);
    return stats.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnListError(`no such file: ${file}`);
    if (code === 'EACCES') throw new UnListError(`cannot read ${file}: permission denied`);
    throw error;
  }
}
