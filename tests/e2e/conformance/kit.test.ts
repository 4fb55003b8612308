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

  it('a node that lists HIT_ONLY records by their withheld dates', async () => {
    const issuedOn = new Map(dataset.notices.map((notice) => [`${node.agency}:${notice.localId}`, notice.issuedOn]));
    const dating: Rogue = {
      answer: (answer) => {
        const rows = answer.data?.list as Record<string, unknown>[] | undefined;
        if (!Array.isArray(rows) || rows[0]?.__typename !== 'Notice') return;
        const full = rows.filter((row) => row.disclosure === 'FULL');
        const hitOnly = rows.filter((row) => row.disclosure === 'HIT_ONLY');
        hitOnly.sort((a, b) => String(issuedOn.get(String(b.id))).localeCompare(String(issuedOn.get(String(a.id)))));
        rows.splice(0, rows.length, ...full, ...hitOnly);
      },
    };
    expect(await failsAgainst(dating, 'disclosure.lists')).toEqual(['disclosure.lists']);
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
    expect(await failsAgainst(forgetful, 'audit.')).toEqual(['audit.disclosures-recorded', 'audit.every-disclosure', 'audit.chain']);
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
    expect(await failsAgainst(talkative, 'hygiene.')).toEqual(['hygiene.error-text', 'hygiene.every-answer']);
  });

  it('a node that links a FULL record to one the caller may not read, in lists only', async () => {
    const hidden = dataset.subjects.find(
      (subject) => dataset.labels[subject.localId]!.tlp === 'RED' && !dataset.labels[subject.localId]!.discoverable,
    )!;
    const linking: Rogue = {
      answer: (answer) => {
        const list = answer.data?.list as Record<string, unknown>[] | undefined;
        for (const row of Array.isArray(list) ? list : []) {
          if (row.__typename === 'Notice' && row.disclosure === 'FULL' && row.subject === null)
            row.subject = { id: `${node.agency}:${hidden.localId}` };
        }
      },
    };
    expect(await failsAgainst(linking, 'disclosure.')).toEqual(['disclosure.links']);
  });

  it('a node that leaks withheld fields when the level is not asked', async () => {
    const careless: Rogue = {
      answer: (answer) =>
        objectsIn(answer.data, (object) => {
          if (!('disclosure' in object) && 'names' in object && object.names === null) object.names = [{ full: 'LEAKED Name' }];
        }),
    };
    expect(await failsAgainst(careless, 'disclosure.')).toEqual(['disclosure.hit-only-without-level']);
  });

  it('a node whose filters ignore the level', async () => {
    const unfiltered: Rogue = {
      request: (headers, body) => ({ headers, body: body.replace(/, filter: \{ (name|statuses|crimeTypes): [^}]+\}/g, '') }),
    };
    expect(await failsAgainst(unfiltered, 'disclosure.filters')).toEqual(['disclosure.filters']);
  });

  it('a node that counts records the caller may not know of', async () => {
    const counting: Rogue = {
      answer: (answer) =>
        objectsIn(answer.data, (object) => {
          if (typeof object.notices === 'number') object.notices += 1;
        }),
    };
    expect(await failsAgainst(counting, 'disclosure.counts')).toEqual(['disclosure.counts']);
  });

  it('a node that resolves entities the caller may not know of', async () => {
    const resolving: Rogue = {
      answer: (answer) => {
        const entities = answer.data?._entities as unknown[] | undefined;
        if (Array.isArray(entities))
          answer.data!._entities = entities.map((entity) => entity ?? { __typename: 'Notice', id: 'x', disclosure: 'HIT_ONLY' });
      },
    };
    expect(await failsAgainst(resolving, 'disclosure.entities')).toEqual(['disclosure.entities']);
  });

  it('a node that shows owner-only labels to partners', async () => {
    const labelling: Rogue = {
      answer: (answer) => {
        const one = answer.data?.one as Record<string, unknown> | undefined;
        if (one && 'releasableTo' in one) {
          one.releasableTo = ['EU'];
          answer.errors = [];
        }
      },
    };
    expect(await failsAgainst(labelling, 'disclosure.owner-only-fields')).toEqual(['disclosure.owner-only-fields']);
  });

  it('a node whose ledger entries do not hash to their chain', async () => {
    const rewriting: Rogue = {
      answer: (answer) => {
        const trail = answer.data?.auditTrail as Record<string, unknown>[] | undefined;
        if (Array.isArray(trail) && trail[0]) trail[0].purpose = 'ASSET_RECOVERY';
      },
    };
    expect(await failsAgainst(rewriting, 'audit.chain')).toEqual(['audit.chain']);
  });

  it('a node that shows its ledger to anyone', async () => {
    const auditor = await sign(
      node.issuer,
      claimsFor({ agency: node.agency, circles: [], roles: ['auditor'], sub: 'rogue-auditor' }, DEV_TRUST.audience),
    );
    const open: Rogue = {
      request: (headers, body) => ({
        headers: body.includes('auditTrail') ? { ...headers, authorization: `Bearer ${auditor}` } : headers,
        body,
      }),
    };
    expect(await failsAgainst(open, 'audit.')).toEqual(['audit.ledger-owner-only']);
  });

  it('a node whose SDL lacks a field of the contract', async () => {
    const partial: Rogue = {
      answer: (answer) => {
        const service = answer.data?._service as { sdl?: string } | undefined;
        if (service?.sdl) service.sdl = service.sdl.replace('openedOn: String', 'openedAt: String');
      },
    };
    expect(await failsAgainst(partial, 'contract.')).toEqual(['contract.types-and-fields']);
  });

  it('a node that ignores the language asked for (lang and Accept-Language)', async () => {
    const monolingual: Rogue = {
      request: (headers, body) => {
        const { 'accept-language': _ignored, ...rest } = headers;
        return { headers: rest, body: body.replace(/\(lang: (\\"[^\\]*\\"|\$lang)\)/g, '') };
      },
    };
    expect(await failsAgainst(monolingual, 'contract.lang')).toEqual(['contract.languages', 'contract.language-tags']);
  });

  it('a node that reads Accept-Language in written order, not by q', async () => {
    const unweighted: Rogue = {
      request: (headers, body) => {
        const header = headers['accept-language'];
        return { headers: header ? { ...headers, 'accept-language': header.replace(/;\s*q=[\d.]+/g, '') } : headers, body };
      },
    };
    expect(await failsAgainst(unweighted, 'contract.lang')).toEqual(['contract.languages']);
  });

  it('a node that calls a translation the original', async () => {
    const misleading: Rogue = {
      answer: (answer) =>
        objectsIn(answer.data, (object) => {
          if ('originalLanguage' in object) object.original = true;
        }),
    };
    expect(await failsAgainst(misleading, 'contract.')).toEqual(['contract.languages']);
  });

  it('a node without operation limits (it answers the attacks)', async () => {
    const unlimited: Rogue = {
      request: (headers, body) => ({
        headers,
        // What a node without limits would answer, for the questions only limits refuse.
        body: body.split('{').length > 30 ? JSON.stringify({ query: '{ notices(first: 100) { id } }' }) : body,
      }),
    };
    expect(await failsAgainst(unlimited, 'hygiene.')).toEqual(['hygiene.depth-attack', 'hygiene.alias-attack']);
  });
});
