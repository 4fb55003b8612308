import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from '../../../lib/auth/verify.js';
import { loadConfig } from '../../../lib/config/index.js';
import type { Service } from '../../../lib/service.js';
import { startAgencyNode } from '../../../subgraphs/agency/server.js';
import { createTestDatabase, dumpStore, STORE_KINDS, type TestDatabase } from '../../helpers/databases.js';
import { LOOPBACK_HTTP } from '../../helpers/http.js';
import { entriesUnder, linesOf, makeTempDir, runCommand } from './commands.js';

// `npm run store:copy` from the store of a running node is refused (a copy taken while the
// node writes would be inconsistent) with one line saying to stop the node, and creates no
// target; once the node is stopped, the same command copies every row.

const config = loadConfig();

describe.each(STORE_KINDS)('store:copy from a node on %s', (kind) => {
  let dir: string;
  let source: TestDatabase;
  let node: Service | undefined;
  let target: string;

  beforeAll(async () => {
    dir = await makeTempDir('copy');
    source = await createTestDatabase(kind, 'maintenance-copy');
    target = path.join(dir, 'target.sqlite');
    node = await startAgencyNode({
      agency: 'LMLECC',
      port: 0,
      database: source.database,
      seedDemoData: true,
      verifier: new TokenVerifier(config.federation.trust, dir, config.directory),
      directory: config.directory,
      http: LOOPBACK_HTTP,
      logger: pino({ level: 'silent' }),
    });
  }, 60_000);

  afterAll(async () => {
    await node?.stop();
    await source?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const copy = () => runCommand('store:copy', ['--agency', 'LMLECC', '--from', source.database, '--to', target]);

  it('refuses while the node runs, says to stop it, and creates no target', async () => {
    const run = await copy();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const held =
      kind === 'sqlite' ? 'is open in another process' : /is in use by \d+ other connection\(s\) \([^)]*agency node LMLECC/.source;
    expect(linesOf(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^store:copy: Cannot open the store of agency LMLECC: .*${held}.*Stop the node first`)),
    ]);
    expect(existsSync(target)).toBe(false);
    expect(entriesUnder(dir)).not.toContain('target.sqlite');
    // The node keeps answering from its store.
    expect((await fetch(new URL('/health', node!.url))).status).toBe(200);
  });

  it('copies every row once the node is stopped, printing one summary line', async () => {
    await node!.stop();
    node = undefined;
    const run = await copy();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(linesOf(run.stdout)).toEqual([
      expect.stringMatching(/^copied LMLECC: .* -> database file .*target\.sqlite: [1-9]\d* notices, /),
    ]);
    const [from, to] = await Promise.all([dumpStore(source.database), dumpStore(target)]);
    for (const [table, rows] of Object.entries(from)) expect(to[table], table).toHaveLength(rows.length);
  }, 60_000);
});
