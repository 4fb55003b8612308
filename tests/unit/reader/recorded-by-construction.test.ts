import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer, mintToken, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import type { Service } from '../../../lib/service.js';
import { NodeContext } from '../../../subgraphs/agency/context.js';
import type { Resolvers } from '../../../subgraphs/agency/generated/resolvers-types.js';
import { startAgencyNode } from '../../../subgraphs/agency/server.js';
import { AuditLedger } from '../../../subgraphs/agency/store/audit.js';
import { openStore } from '../../../subgraphs/agency/store/open.js';
import type { NoticeRow } from '../../../subgraphs/agency/store/rows.js';
import type { RecordStore } from '../../../subgraphs/agency/store/store.js';
import { inProcessNodeOptions, TEST_DIRECTORY } from '../../helpers/node.js';

// A resolver written without a thought for the ledger: it reads records through the only
// reader it has, and the owner's ledger still records every record it disclosed, before the
// answer leaves the node. The reader also refuses to read content of a record it never
// handed out, and the context offers no way around it.

const OWNER = 'EUROPOL';
const directory = TEST_DIRECTORY;

/** New fields a later engineer might add, none of which mentions the ledger. */
const extension = {
  typeDefs: parse(`
    extend type Query {
      everyThirdNotice: [Notice!]!
      noticeOfSubject(subjectId: ID!): [Notice!]!
      titleOfForgedRecord: String
    }
  `),
  resolvers: {
    Query: {
      everyThirdNotice: async (_root: unknown, _args: unknown, context: NodeContext) =>
        (await context.reader.listNotices({ first: 60 })).filter((_notice, i) => i % 3 === 0),
      noticeOfSubject: async (_root: unknown, { subjectId }: { subjectId: string }, context: NodeContext) => {
        const subject = await context.reader.subject(subjectId.split(':')[1]!);
        return subject ? context.reader.noticesOfSubject(subject) : [];
      },
      // A row made up by a resolver, not read under the caller's scope: its content is refused.
      titleOfForgedRecord: async (_root: unknown, _args: unknown, context: NodeContext) => {
        const forged = { localId: 'N-00001', disclosure: 'FULL' } as NoticeRow;
        return (await context.reader.content('titles', forged))[0]?.text ?? null;
      },
    },
  } as unknown as Resolvers,
};

let dir: string;
let issuer: DevIssuer;
let node: Service;
let store: RecordStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'reader-'));
  issuer = await ensureDevIssuer(dir);
  const database = path.join(dir, 'europol.sqlite');
  node = await startAgencyNode(inProcessNodeOptions(dir, { agency: OWNER, database, seedDemoData: true, extension }));
  store = await openStore({ agency: OWNER, database });
});

afterAll(async () => {
  await node?.stop();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

async function ask(query: string, variables: Record<string, unknown> = {}) {
  const token = await mintToken(issuer, {
    agency: 'TH-RTP',
    circles: directory.circlesOf('TH-RTP'),
    roles: ['officer'],
    sub: 'officer-1',
    ttl: '10m',
    audience: 'records-federation',
  });
  const response = await fetch(node.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: Record<string, { id: string; disclosure: string }[] | string | null>;
    errors?: { message: string }[];
  };
}

async function disclosedInLedger(operation: string): Promise<Map<string, string>> {
  const entries = await new AuditLedger(store).entries(100);
  const recorded = new Map<string, string>();
  for (const entry of entries.filter((e) => e.event === 'DISCLOSURE' && e.operation === operation)) {
    for (const id of entry.recordIds) recorded.set(id, entry.disclosure!);
  }
  return recorded;
}

describe('a resolver added without a thought for the ledger', () => {
  it('still has every record it disclosed recorded in the owner ledger, at the level it left', async () => {
    const answer = await ask('query NewResolver { everyThirdNotice { id disclosure } }');
    expect(answer.errors).toBeUndefined();
    const notices = answer.data!.everyThirdNotice as { id: string; disclosure: string }[];
    expect(notices.length).toBeGreaterThan(1);
    const recorded = await disclosedInLedger('NewResolver');
    for (const notice of notices) expect(recorded.get(notice.id), notice.id).toBe(notice.disclosure);
  });

  it('records the records a relation read disclosed, as well as the record it started from', async () => {
    const listed = await ask('{ subjects(first: 50) { id disclosure notices { id } } }');
    const subject = (listed.data!.subjects as { id: string; disclosure: string; notices: { id: string }[] | null }[]).find(
      (s) => s.disclosure === 'FULL' && (s.notices?.length ?? 0) > 0,
    )!;
    expect(subject).toBeDefined();
    const answer = await ask('query Relation($id: ID!) { noticeOfSubject(subjectId: $id) { id disclosure } }', { id: subject.id });
    const notices = answer.data!.noticeOfSubject as { id: string; disclosure: string }[];
    expect(notices.length).toBeGreaterThan(0);
    const recorded = await disclosedInLedger('Relation');
    expect(recorded.get(subject.id)).toBe('FULL');
    for (const notice of notices) expect(recorded.get(notice.id)).toBe(notice.disclosure);
  });

  it('cannot read the content of a record the reader did not hand out', async () => {
    const answer = await ask('query Forged { titleOfForgedRecord }');
    expect(answer.data?.titleOfForgedRecord ?? null).toBeNull();
    expect(answer.errors?.length).toBe(1);
    expect(await disclosedInLedger('Forged')).toEqual(new Map());
  });

  it('offers resolvers no store, scope or connection to reach past the reader', () => {
    const context = new NodeContext({ code: OWNER, circles: directory.circlesOf(OWNER) }, store);
    // @ts-expect-error the store is private to the context: tsc (npm test) fails if it is not.
    void context.store;
    context.caller = { sub: 's', agency: 'TH-RTP', circles: [], roles: ['officer'], purpose: 'CRIMINAL_INVESTIGATION', token: '' };
    const reachable = Object.keys(context.reader);
    for (const name of ['db', 'scope', 'store']) expect(reachable).not.toContain(name);
  });
});
