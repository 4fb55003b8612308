import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config/index.js';
import { DEFAULT_GATEWAY_GUARDS } from '../../lib/config/gateway-guards.js';

describe('federation config', () => {
  it('lists exactly the directory agencies that host a node, on the documented default ports', () => {
    const { federation, directory } = loadConfig({ DATA_DIR: '/tmp/x' });
    expect(federation.agencies.map((a) => a.code)).toEqual(directory.agencies.filter((a) => a.hostsNode).map((a) => a.code));
    expect(federation.agencies.map((a) => a.port)).toEqual([4101, 4102, 4103, 4104]);
    expect(federation.gateway).toEqual({ port: 4000, nodeTimeoutMs: 2000, ...DEFAULT_GATEWAY_GUARDS });
    expect(federation.directory.port).toBe(4001);
    expect(federation.agencies[0]!.database).toBe('/tmp/x/interpol.sqlite');
  });

  it('takes GATEWAY_PORT, DATA_DIR and NODE_TIMEOUT_MS from the environment', () => {
    const { federation } = loadConfig({ GATEWAY_PORT: '5000', DATA_DIR: '/srv/data', NODE_TIMEOUT_MS: '750' });
    expect(federation.gateway).toEqual({ port: 5000, nodeTimeoutMs: 750, ...DEFAULT_GATEWAY_GUARDS });
    expect(federation.dataDir).toBe('/srv/data');
  });

  it('takes the process settings from the environment, with their defaults', () => {
    const defaults = loadConfig({});
    expect(defaults.production).toBe(false);
    expect(defaults.logLevel).toBe('info');
    // Unset: the node decides by its store (SQLite yes, PostgreSQL no).
    expect(defaults.service).toMatchObject({ agencyCode: '', seedDemoData: undefined });
    expect(defaults.http).toEqual({ host: '127.0.0.1', corsOrigins: expect.arrayContaining(['http://localhost']) });
    expect(loadConfig({ SEED_DEMO_DATA: 'true' }).service.seedDemoData).toBe(true);
    const set = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', AGENCY_CODE: 'LMLECC', PORT: '4999', SEED_DEMO_DATA: 'false' });
    expect(set.production).toBe(true);
    expect(set.logLevel).toBe('warn');
    expect(set.service).toMatchObject({ agencyCode: 'LMLECC', port: '4999', seedDemoData: false });
    // Production allows no browser origin unless one is named.
    expect(set.http.corsOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: 'https://a.example, https://b.example:8443', HOST: '0.0.0.0' }).http).toEqual(
      {
        host: '0.0.0.0',
        corsOrigins: ['https://a.example', 'https://b.example:8443'],
      },
    );
    expect(() => loadConfig({ CORS_ORIGINS: 'https://*.example' })).toThrow(/CORS_ORIGINS: "https:\/\/\*\.example" is not an origin/);
  });

  it('rejects a bad config with a message naming the problem', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'config-'));
    const file = path.join(dir, 'federation.json');
    writeFileSync(
      file,
      JSON.stringify({
        agencies: [
          { code: 'INTERPOL', port: 1 },
          { code: 'INTERPOL', port: 2 },
        ],
      }),
    );
    expect(() => loadConfig({ FEDERATION_CONFIG: file })).toThrow(/INTERPOL is listed twice/);
    writeFileSync(file, JSON.stringify({ agencies: [{ code: 'interpol', port: 1 }] }));
    expect(() => loadConfig({ FEDERATION_CONFIG: file })).toThrow(ConfigError);
    expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(/Invalid gateway port \(GATEWAY_PORT\): eighty/);
    expect(() => loadConfig({ FEDERATION_CONFIG: path.join(dir, 'missing.json') })).toThrow(/Cannot read federation config/);
  });
});

describe('directory data', () => {
  const afripol = { code: 'AFRIPOL', name: 'AFRIPOL', kind: 'REGIONAL', region: 'Africa', languages: ['fr'], hostsNode: true };

  function directoryFile(data: unknown): string {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'directory-')), 'directory.json');
    writeFileSync(file, JSON.stringify(data));
    return file;
  }

  it('is read from DIRECTORY_FILE', () => {
    const file = directoryFile({ agencies: [afripol], trustCircles: [{ code: 'AU', name: 'AU', description: 'x', members: '*' }] });
    const { directory } = loadConfig({ DIRECTORY_FILE: file });
    expect(directory.agencies.map((a) => a.code)).toEqual(['AFRIPOL']);
    expect(directory.circlesOf('AFRIPOL')).toEqual(['AU']);
    expect(directory.hasAgency('AFRIPOL')).toBe(true);
    expect(directory.hasAgency('INTERPOL')).toBe(false);
  });

  it('refuses a bad file, naming the problem', () => {
    const file = directoryFile({
      agencies: [afripol],
      trustCircles: [{ code: 'AU', name: 'AU', description: 'x', members: ['AFRIPOL', 'NOPE'] }],
    });
    expect(() => loadConfig({ DIRECTORY_FILE: file })).toThrow(new ConfigError(`${file}: circle AU lists unknown agencies NOPE.`));
  });
});
