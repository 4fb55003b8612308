import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsFor, sign } from '../../../conformance/issuer.js';
import type { CheckResult } from '../../../conformance/kit.js';
import { renderReport, runConformance } from '../../../conformance/report.js';
import { readDataset } from '../../../conformance/dataset/format.js';
import { DATASET_FILE, startConformanceNode, type ConformanceNode } from '../../helpers/conformance-node.js';
import { DEV_TRUST } from '../../helpers/node.js';
import { objectsIn, startRogueProxy, type Rogue } from '../../helpers/rogue-proxy.js';

// The conformance kit against this project's node (it must pass, on both stores), and
// against nodes that each break one promise (it must fail, naming that promise's check).

const failing = (results: CheckResult[]) => results.filter((result) => result.status === 'fail').map((result) => result.check);

describe.each(['sqlite', 'postgres'] as const)("this project's node on %s", (kind) => {
  let node: ConformanceNode;
  beforeAll(async () => {
    node = await startConformanceNode(kind);
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('passes every check (the production-only ones are not run on a development node)', async () => {
    const report = await runConformance(node.kit());
    expect(failing(report.results), renderReport(report)).toEqual([]);
    expect(report.results.filter((r) => r.status === 'not run').map((r) => r.check)).toEqual([
      'hygiene.introspection',
      'hygiene.suggestions',
    ]);
    // Every group ran, and the matrix met every level.
    expect(new Set(report.results.map((r) => r.group))).toEqual(
      new Set(['Contract', 'Identity', 'Disclosure', 'Sovereignty', 'Audit', 'Hygiene']),
    );
    expect(report.passed).toBeGreaterThanOrEqual(30);
  });
});

describe('the data set', () => {
  it('meets every caller of the matrix with FULL, HIT_ONLY and NONE records of each kind', async () => {
    const node = await startConformanceNode('sqlite');
    try {
      const kit = node.kit();
      const { levelsFor } = await import('../../../conformance/checks/observe.js');
      for (const caller of kit.partners) {
        const level = levelsFor(kit, caller);
        for (const records of [kit.dataset.notices, kit.dataset.subjects, kit.dataset.cases]) {
          const levels = new Set(records.map((record) => level(record.localId)));
          expect([...levels].sort(), caller.agency).toEqual(['FULL', 'HIT_ONLY', 'NONE']);
        }
      }
    } finally {
      await node.stop();
    }
  });
});

describe('a production node', () => {
  it('passes the production checks too', async () => {
    const node = await startConformanceNode('sqlite', 'LMLECC', { production: true });
    try {
      const report = await runConformance(node.kit(), (check) => check.group === 'Hygiene' || check.group === 'Contract');
      expect(failing(report.results), renderReport(report)).toEqual([]);
      expect(report.notRun).toBe(0);
    } finally {
      await node.stop();
    }
  });
});

describe('broken nodes: the kit fails, naming the broken promise', () => {
  let node: ConformanceNode;
  const dataset = readDataset(DATASET_FILE);
  beforeAll(async () => {
    node = await startConformanceNode('sqlite');
  });
  afterAll(async () => {
    await node?.stop();
  });

  async function failsAgainst(rogue: Rogue, group: string): Promise<string[]> {
    const proxy = await startRogueProxy(node.url, rogue);
    try {
      const report = await runConformance(node.kit(proxy.url), (check) => check.name.startsWith(group));
      const failed = failing(report.results);
      // The report shows the request, what came back and the contract for each failure.
      for (const result of report.results.filter((r) => r.status === 'fail')) {
        for (const failure of result.failures) expect(failure.contract.length).toBeGreaterThan(0);
      }
      return failed;
    } finally {
      await proxy.stop();
    }
  }

  it('the same proxy passing everything through fails nothing (the control)', async () => {
    expect(await failsAgainst({}, '')).toEqual([]);
  });

  it('a node that ignores the purpose', async () => {
    const purposeless: Rogue = {
      request: (headers, body) => ({ headers: { ...headers, 'x-purpose': 'CRIMINAL_INVESTIGATION' }, body }),
    };
    expect(await failsAgainst(purposeless, 'identity.')).toEqual(['identity.purpose-missing', 'identity.purpose-unknown']);
  });

  it('a node that accepts any token', async () => {
    const valid = await sign(
      node.issuer,
      claimsFor({ agency: 'TH-RTP', circles: ['GLOBAL', 'ASEAN', 'MEKONG'], roles: ['officer'], sub: 'rogue' }, DEV_TRUST.audience),
    );
    const credulous: Rogue = { request: (headers, body) => ({ headers: { ...headers, authorization: `Bearer ${valid}` }, body }) };
    const failed = await failsAgainst(credulous, 'identity.');
    expect(failed).toContain('identity.alg-none');
    expect(failed).toContain('identity.expired');
    expect(failed).toContain('identity.edited-claims');
    expect(failed).not.toContain('identity.valid-token');
  });

  it('a node that leaks a HIT_ONLY field', async () => {
    const leaky: Rogue = {
      answer: (answer) =>
        objectsIn(answer.data, (object) => {
          if (object.disclosure === 'HIT_ONLY' && 'tlp' in object) object.tlp = 'AMBER';
        }),
    };
    expect(await failsAgainst(leaky, 'disclosure.hit-only-fields')).toEqual(['disclosure.hit-only-fields']);
  });

  it('a node that returns a NONE record in a list', async () => {
    const hidden = dataset.notices.find(
      (notice) => dataset.labels[notice.localId]!.tlp === 'RED' && !dataset.labels[notice.localId]!.discoverable,
    )!;
    const hiddenId = `${node.agency}:${hidden.localId}`;
    const overSharing: Rogue = {
      answer: (answer) => {
        for (const value of Object.values(answer.data ?? {})) {
          const rows = value as Record<string, unknown>[];
          if (!Array.isArray(rows) || rows[0]?.__typename !== 'Notice' || rows.some((row) => row.id === hiddenId)) continue;
          rows.push({
            ...Object.fromEntries(Object.keys(rows[0]).map((key) => [key, null])),
            __typename: 'Notice',
            id: hiddenId,
            agency: { code: node.agency },
            disclosure: 'HIT_ONLY',
            colour: hidden.colour,
          });
        }
      },
    };
    expect(await failsAgainst(overSharing, 'disclosure.lists')).toEqual(['disclosure.lists']);
  });

  it("a node that serves another agency's ids as its own", async () => {
    const usurper: Rogue = {
      request: (headers, body) => ({ headers, body: body.replace(/\b(INTERPOL|ASEANAPOL|LMLECC|TH-RTP):/g, `${node.agency}:`) }),
    };
    expect(await failsAgainst(usurper, 'sovereignty.')).toEqual(['sovereignty.foreign-ids']);
  });

  it('a node that skips its ledger', async () => {
    const forgetful: Rogue = {
      after: (headers) => {
        const payload = JSON.parse(Buffer.from((headers.authorization ?? '..').split('.')[1] ?? '', 'base64url').toString() || '{}') as {
          roles?: string[];
        };
        if (payload.roles?.includes('auditor')) return;
        const db = new Database(node.database);
        try {
          db.prepare('delete from audit_ledger').run();
        } finally {
          db.close();
        }
      },
    };
    expect(await failsAgainst(forgetful, 'audit.')).toEqual(['audit.disclosures-recorded']);
  });

  it('a node that answers with stack traces', async () => {
    const talkative: Rogue = {
      answer: (answer) => {
        for (const error of answer.errors ?? []) {
          error.extensions = {
            ...(error.extensions as object),
            stacktrace: ['GraphQLError: bad', '    at resolveField (/srv/records/src/resolvers.js:41:13)'],
          };
        }
      },
    };
    expect(await failsAgainst(talkative, 'hygiene.')).toEqual(['hygiene.error-text']);
  });
});
