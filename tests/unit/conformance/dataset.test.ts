import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../../conformance/dataset/build.js';
import { CONTRACT_ENUMS, readDataset, type DatasetLabels } from '../../../conformance/dataset/format.js';
import { readSdl } from '../../../schema/supergraph.js';
import { buildASTSchema, isEnumType, parse } from 'graphql';
import { entryHash as kitEntryHash } from '../../../conformance/checks/audit.js';
import { expectedLevel } from '../../../conformance/policy.js';
import { loadConfig } from '../../../lib/config/index.js';
import { PROJECT_ROOT } from '../../../lib/config/project-root.js';
import { decide, TLP_LABELS } from '../../../subgraphs/agency/policy/policy.js';
import { entryHash as nodeEntryHash } from '../../../subgraphs/agency/store/audit.js';

// The conformance data set is what its builder makes, its reader refuses a bad file with one
// line, and the kit's own reading of the policy agrees with the node's wherever it applies.

const DATASET_FILE = path.join(PROJECT_ROOT, 'conformance', 'dataset.json');

describe('conformance/dataset.json', () => {
  it('is what conformance/dataset/build.ts makes (regenerate it with the builder, never by hand)', () => {
    expect(JSON.parse(readFileSync(DATASET_FILE, 'utf8'))).toEqual(buildDataset());
  });

  it("uses the contract's enums, value for value (schema/records.graphql)", () => {
    const contract = buildASTSchema(parse(readSdl('records')), { assumeValidSDL: true });
    for (const [name, values] of Object.entries(CONTRACT_ENUMS)) {
      const type = contract.getType(name);
      expect(type && isEnumType(type) ? type.getValues().map((value) => value.name) : `no enum ${name}`, name).toEqual(values);
    }
  });

  it('reads back in its format', () => {
    const dataset = readDataset(DATASET_FILE);
    expect([dataset.subjects.length, dataset.notices.length, dataset.cases.length]).toEqual([50, 50, 50]);
    const scripts = new Set(dataset.subjects.flatMap((subject) => subject.names.map((name) => name.script)));
    expect(scripts.size).toBeGreaterThanOrEqual(6);
  });
});

describe('readDataset refuses a bad file with one line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dataset-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const good = () => JSON.parse(readFileSync(DATASET_FILE, 'utf8')) as ReturnType<typeof buildDataset>;
  /** What readDataset says of a file with this content (null: no file at all). */
  const refusal = (name: string, content: string | null) => {
    const file = path.join(dir, name);
    if (content !== null) writeFileSync(file, content);
    try {
      readDataset(file);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it.each([
    ['missing', null, /no such file/],
    ['not JSON', '{ nope', /not JSON/],
    ['another format', JSON.stringify({ ...good(), format: 'something/2' }), /format.*at format/],
    ['a record twice', JSON.stringify({ ...good(), subjects: [...good().subjects, good().subjects[0]] }), /CS-001 is used twice/],
    [
      'a link to no subject',
      JSON.stringify({ ...good(), notices: [{ ...good().notices[0], subjectLocalId: 'CS-999' }, ...good().notices.slice(1)] }),
      /subject CS-999, which is no subject/,
    ],
    [
      'an unknown TLP',
      JSON.stringify({ ...good(), labels: { ...good().labels, 'CS-001': { ...good().labels['CS-001'], tlp: 'PURPLE' } } }),
      /labels\.CS-001\.tlp/,
    ],
  ])('%s', (name, content, says) => {
    const message = refusal(`${name}.json`, content);
    expect(message).toMatch(says);
    expect(message).not.toContain('\n');
  });
});

describe("the kit's policy", () => {
  const { directory } = loadConfig();
  const codes = directory.agencies.map((agency) => agency.code);
  const audiences = [...codes, ...directory.circles.map((circle) => circle.code)];

  it("agrees with the node's decide() for every caller, owner and labels (no grants)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.constantFrom(...codes),
        fc.record({
          tlp: fc.constantFrom(...TLP_LABELS),
          releasableTo: fc.subarray(audiences),
          discoverable: fc.boolean(),
          handling: fc.constant('H0' as const),
        }),
        (caller, owner, labels: DatasetLabels) => {
          const party = (code: string) => ({ agency: code, circles: directory.circlesOf(code) });
          const node = decide(
            { agency: caller, circles: directory.circlesOf(caller) },
            { code: owner, circles: directory.circlesOf(owner) },
            labels,
          );
          expect(expectedLevel(party(caller), party(owner), labels)).toBe(node);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("the kit's ledger hash", () => {
  const keys = fc.stringMatching(/^[a-zA-Z]{1,12}$/);
  const entry = fc.record({
    sequence: fc.integer({ min: 1, max: 1_000_000 }),
    recordedAt: fc.constant('2026-11-30T12:00:00.000Z'),
    event: fc.constantFrom('DISCLOSURE' as const, 'ACCESS_REQUESTED' as const),
    callerAgency: fc.constantFrom('TH-RTP', 'DE-BKA'),
    callerSub: fc.string(),
    purpose: fc.constant('CRIMINAL_INVESTIGATION'),
    operation: fc.string(),
    recordIds: fc.array(fc.string()),
    disclosure: fc.constantFrom('FULL' as const, 'HIT_ONLY' as const, null),
    detail: fc.option(fc.dictionary(keys, fc.option(fc.string(), { nil: null })), { nil: null }),
    previousHash: fc.stringMatching(/^[0-9a-f]{64}$/),
  });

  it("is the node's hash of the same entry (the kit verifies chains as the reference writes them)", () => {
    fc.assert(
      fc.property(entry, (written) => {
        const { callerSub, detail, ...rest } = written;
        const served = { ...rest, callerSubject: callerSub, detail: detail ? JSON.stringify(detail) : null, hash: '' };
        expect(kitEntryHash(served)).toBe(nodeEntryHash(written));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts detail keys the same under any locale of the machine, in the node and in the kit (English collation, named)', () => {
    const detail = { yield: '1', justification: '2', requestId: '3', requester: '4' };
    const entry = {
      sequence: 1,
      recordedAt: 't',
      event: 'DISCLOSURE',
      callerAgency: 'A',
      callerSub: 's',
      purpose: 'p',
      operation: 'o',
      recordIds: [],
      disclosure: null,
      previousHash: 'h',
    };
    const script = [
      "import { canonicalEncoding, entryHash } from './subgraphs/agency/store/audit.ts';",
      "import { entryHash as kitHash } from './conformance/checks/audit.ts';",
      `const entry = ${JSON.stringify(entry)}; const detail = ${JSON.stringify(detail)};`,
      'const { callerSub, ...rest } = entry;',
      "process.stdout.write(JSON.stringify([canonicalEncoding({ ...entry, detail }), entryHash({ ...entry, detail }), kitHash({ ...rest, callerSubject: callerSub, detail: JSON.stringify(detail), hash: '' })]));",
    ].join('\n');
    const under = (locale: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: PROJECT_ROOT,
          env: { ...process.env, LC_ALL: locale, LANG: locale },
          encoding: 'utf8',
        }),
      ) as [string, string, string];
    const [encoding, nodeHash, kitHash] = under('lt_LT.UTF-8');
    // Lithuanian collation puts "y" among the "i"s: a ledger written under it would not verify elsewhere.
    expect([encoding, nodeHash, kitHash]).toEqual(under('C.UTF-8'));
    expect(kitHash).toBe(nodeHash);
    expect(encoding).toContain('{"justification":"2","requester":"4","requestId":"3","yield":"1"}');
  });
});
