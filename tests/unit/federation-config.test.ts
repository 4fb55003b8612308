import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadFederationConfig, PROJECT_ROOT } from '../../lib/config.js';
import { AGENCIES as DIRECTORY } from '../../subgraphs/directory/agencies.js';

describe('federation config', () => {
  it('lists exactly the directory agencies that host a node, on the documented default ports', () => {
    const config = loadFederationConfig({ DATA_DIR: '/tmp/x' });
    expect(config.agencies.map((a) => a.code)).toEqual(DIRECTORY.filter((a) => a.hostsNode).map((a) => a.code));
    expect(config.agencies.map((a) => a.port)).toEqual([4101, 4102, 4103, 4104]);
    expect(config.gateway).toEqual({ port: 4000, nodeTimeoutMs: 2000 });
    expect(config.directory.port).toBe(4001);
    expect(config.agencies[0]!.database).toBe('/tmp/x/interpol.sqlite');
  });

  it('takes GATEWAY_PORT, DATA_DIR and NODE_TIMEOUT_MS from the environment', () => {
    const config = loadFederationConfig({ GATEWAY_PORT: '5000', DATA_DIR: '/srv/data', NODE_TIMEOUT_MS: '750' });
    expect(config.gateway).toEqual({ port: 5000, nodeTimeoutMs: 750 });
    expect(config.dataDir).toBe('/srv/data');
  });

  it('rejects a bad config with a message naming the problem', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'config-'));
    const file = path.join(dir, 'federation.json');
    writeFileSync(file, JSON.stringify({ agencies: [{ code: 'INTERPOL', port: 1 }, { code: 'INTERPOL', port: 2 }] }));
    expect(() => loadFederationConfig({ FEDERATION_CONFIG: file })).toThrow(/INTERPOL is listed twice/);
    writeFileSync(file, JSON.stringify({ agencies: [{ code: 'interpol', port: 1 }] }));
    expect(() => loadFederationConfig({ FEDERATION_CONFIG: file })).toThrow(ConfigError);
    expect(() => loadFederationConfig({ GATEWAY_PORT: 'eighty' })).toThrow(/Invalid gateway port \(GATEWAY_PORT\): eighty/);
    expect(() => loadFederationConfig({ FEDERATION_CONFIG: path.join(dir, 'missing.json') })).toThrow(/Cannot read federation config/);
  });
});

describe('directory data', () => {
  const load = (file: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '-e', "await import('./subgraphs/directory/agencies.ts')"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DIRECTORY_FILE: file },
      encoding: 'utf8',
    });

  it('is read from DIRECTORY_FILE', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'directory-'));
    const file = path.join(dir, 'directory.json');
    writeFileSync(file, JSON.stringify({ agencies: [{ code: 'AFRIPOL', name: 'AFRIPOL', kind: 'REGIONAL', region: 'Africa', languages: ['fr'], hostsNode: true }], trustCircles: [{ code: 'AU', name: 'AU', description: 'x', members: '*' }] }));
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', "const d = await import('./subgraphs/directory/agencies.ts'); console.log(JSON.stringify([d.AGENCIES.map((a) => a.code), d.circlesOf('AFRIPOL')]))"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DIRECTORY_FILE: file },
      encoding: 'utf8',
    });
    expect(JSON.parse(result.stdout)).toEqual([['AFRIPOL'], ['AU']]);
  });

  it('refuses a bad file, naming the problem', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'directory-'));
    const file = path.join(dir, 'directory.json');
    writeFileSync(file, JSON.stringify({ agencies: [{ code: 'AFRIPOL', name: 'AFRIPOL', kind: 'REGIONAL', region: 'Africa', languages: ['fr'], hostsNode: true }], trustCircles: [{ code: 'AU', name: 'AU', description: 'x', members: ['AFRIPOL', 'NOPE'] }] }));
    const result = load(file);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${file}: circle AU lists unknown agencies NOPE.`);
  });
});
