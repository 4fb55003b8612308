import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../../lib/auth/caller.js';
import { NodeContext } from '../../../subgraphs/agency/context.js';
import { screen } from '../../../subgraphs/agency/screening/screen.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import type { AgencyDataset, RecordLabels, SubjectRecord } from '../../../subgraphs/agency/store/records.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { insertDataset } from '../../../subgraphs/agency/store/writes.js';

// A crowd of people sharing one name, and one of them disclosed to the caller as a hit only:
// nothing the owner withholds about that one (here its passport) may change the answer.

const OWNER = 'EUROPOL';
const NAME = 'Mohammed Ali Hassan';
const caller: Caller = {
  sub: 't',
  agency: 'TH-RTP',
  circles: ['GLOBAL', 'ASEAN', 'MEKONG'],
  roles: ['officer'],
  purpose: 'BORDER_CONTROL',
  token: '',
};

function subject(localId: string, passport: string): SubjectRecord {
  return {
    localId,
    kind: 'PERSON',
    gender: 'MALE',
    names: [{ full: NAME, script: 'Latn', kind: 'PRIMARY', quality: null }],
    birthDates: [],
    nationalities: ['EG'],
    documents: [{ type: 'PASSPORT', number: passport, issuingCountry: 'EG' }],
  };
}

let dir: string;
let store: RecordStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'screening-disclosure-'));
  store = await openStore({ agency: OWNER, database: path.join(dir, 'store.sqlite') });
  const open: RecordLabels = { tlp: 'CLEAR', handling: 'H0', releasableTo: [], discoverable: true };
  const withheld: RecordLabels = { tlp: 'RED', handling: 'H3', releasableTo: [], discoverable: true };
  const crowd = Array.from({ length: 200 }, (_, i) => subject(`S-${String(i).padStart(4, '0')}`, `A${String(1_000_000 + i)}`));
  const target = subject('S-TARGET', 'P1234567');
  const dataset: AgencyDataset = {
    agency: OWNER,
    subjects: [...crowd, target],
    notices: [],
    cases: [],
    labels: Object.fromEntries([...crowd.map((s) => [s.localId, open] as const), [target.localId, withheld]]),
  };
  await insertDataset(store, dataset);
});

afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

async function targetIsHit(documentNumber?: string): Promise<boolean> {
  // The labels here are CLEAR and RED: the owner's circles play no part.
  const context = new NodeContext({ code: OWNER, circles: [] }, store);
  context.caller = caller;
  const hits = await screen(context.reader, { name: NAME, documentNumber }, 0.8, 100);
  return hits.some((hit) => hit.subject.localId === 'S-TARGET');
}

describe('screening a HIT_ONLY subject in a crowd', () => {
  it('answers the same whether the withheld passport number is right, wrong or not asked', async () => {
    const withoutNumber = await targetIsHit();
    expect(await targetIsHit('P1234567')).toBe(withoutNumber);
    expect(await targetIsHit('X9999999')).toBe(withoutNumber);
  });

  it('still finds a subject disclosed in full by its passport number', async () => {
    const context = new NodeContext({ code: OWNER, circles: [] }, store);
    context.caller = caller;
    const [top] = await screen(context.reader, { name: NAME, documentNumber: 'A1000150' }, 0.8, 5);
    expect(top!.subject.localId).toBe('S-0150');
  });
});
