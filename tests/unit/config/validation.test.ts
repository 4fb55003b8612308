import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config/index.js';
import { DEFAULT_GATEWAY_GUARDS } from '../../../lib/config/gateway-guards.js';

// The configuration files are checked with zod schemas; an operator must still read ONE
// line naming the file and the field, never a zod dump.

const dir = mkdtempSync(path.join(os.tmpdir(), 'config-validation-'));

function write(name: string, data: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(data));
  return file;
}

/** The message loading refuses with, after checking it is one clean line about `file`. */
function refusal(env: Record<string, string>, file: string): string {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message.startsWith(`${file}: `), message).toBe(true);
  expect(message).not.toMatch(/\n/);
  // No zod internals: class names, issue lists, JSON dumps of issues, zod's default wording.
  expect(message).not.toMatch(/Zod|issues|"code"\s*:|"path"\s*:|\[\s*\{|Invalid input|expected \w+, received/);
  return message.slice(file.length + 2);
}

const node = (fields: Record<string, unknown> = {}) => ({ code: 'INTERPOL', port: 4101, ...fields });

describe('federation.json refusals', () => {
  const cases: [string, unknown, string][] = [
    [
      'an agency code of the wrong syntax',
      { agencies: [node(), node({ code: 'interpol' })] },
      'agencies[1].code must be an agency code such as "INTERPOL".',
    ],
    ['an agency without a code', { agencies: [node({ code: undefined })] }, 'agencies[0].code must be an agency code such as "INTERPOL".'],
    ['no agencies', { agencies: [] }, '"agencies" must list at least one agency node.'],
    ['agencies that are not a list', { agencies: { INTERPOL: 4101 } }, '"agencies" must list at least one agency node.'],
    ['an agency listed twice', { agencies: [node(), node({ port: 4102 })] }, 'agency INTERPOL is listed twice.'],
    ['a bad node port', { agencies: [node({ port: 70000 })] }, 'Invalid port of agency INTERPOL: 70000'],
    ['a node url that is not a string', { agencies: [node({ url: 4101 })] }, 'agencies[0].url must be a string.'],
    ['an agency entry that is not an object', { agencies: ['INTERPOL'] }, 'agencies[0] must be an object.'],
    ['a bad directory port', { directory: { port: 'x' }, agencies: [node()] }, 'Invalid directory port: x'],
    ['a bad gateway port', { gateway: { port: -1 }, agencies: [node()] }, 'Invalid gateway.port: -1'],
    [
      'a shared-secret algorithm',
      { agencies: [node()], trust: { algorithms: ['HS256'] } },
      'trust.algorithms must be asymmetric (e.g. ES256, RS256, EdDSA); shared secrets and "none" are refused.',
    ],
    ['algorithms that are not a list', { agencies: [node()], trust: { algorithms: 'ES256' } }, 'trust.algorithms must be a list.'],
    [
      'an issuer without keys',
      { agencies: [node()], trust: { issuers: [{ issuer: 'x', agencies: '*' }] } },
      'trust.issuers must list { "issuer": "...", "jwks": "<file or URL>", "agencies": ["CODE", ...] or "*" } entries.',
    ],
    [
      'a clock tolerance out of range',
      { agencies: [node()], trust: { clockToleranceSeconds: 301 } },
      'trust.clockToleranceSeconds must be between 0 and 300.',
    ],
    ['an audience that is not a string', { agencies: [node()], trust: { audience: 42 } }, 'trust.audience must be a string.'],
    [
      'a rate-limit window past a day (a timer that would fire at once)',
      { agencies: [node()], gateway: { rateLimitWindowSeconds: 2_592_000 } },
      'Invalid gateway.rateLimitWindowSeconds (1-86400): 2592000',
    ],
    [
      'a node answer cap given as true',
      { agencies: [node()], gateway: { maxAnswerBytes: true } },
      'Invalid gateway.maxAnswerBytes (1-268435456): true',
    ],
    [
      'a node deadline past ten minutes',
      { agencies: [node()], limits: { deadlineMs: 3_000_000 } },
      'limits.deadlineMs must be at most 600000.',
    ],
    [
      'an explorer that is not one of the three',
      { agencies: [node()], gateway: { explorer: 'graphiql' } },
      'gateway.explorer must be "local", "sandbox" or "off"',
    ],
    ['a file that is not an object', [node()], 'the file must be an object.'],
  ];

  it.each(cases)('%s', (_what, data, expected) => {
    const file = write('federation.json', data);
    expect(refusal({ FEDERATION_CONFIG: file }, file)).toBe(expected);
  });

  it('names a bad environment override by its variable, not the file', () => {
    expect(() => loadConfig({ NODE_TIMEOUT_MS: 'soon' })).toThrow(new ConfigError('Invalid node timeout (NODE_TIMEOUT_MS): soon'));
  });
});

describe('directory file refusals', () => {
  const agency = (fields: Record<string, unknown> = {}) => ({
    code: 'AFRIPOL',
    name: 'AFRIPOL',
    kind: 'REGIONAL',
    region: 'Africa',
    languages: ['fr'],
    hostsNode: true,
    ...fields,
  });
  const circle = (fields: Record<string, unknown> = {}) => ({
    code: 'AU',
    name: 'African Union',
    description: 'x',
    members: '*',
    ...fields,
  });

  const cases: [string, unknown, string][] = [
    [
      'an invalid agency code',
      { agencies: [agency({ code: 'afripol' })], trustCircles: [] },
      'agency code "afripol" is invalid or listed twice.',
    ],
    ['an agency listed twice', { agencies: [agency(), agency()], trustCircles: [] }, 'agency code "AFRIPOL" is invalid or listed twice.'],
    [
      'a circle code that is an agency code',
      { agencies: [agency()], trustCircles: [circle({ code: 'AFRIPOL' })] },
      'circle code "AFRIPOL" is invalid, listed twice or an agency\'s code.',
    ],
    [
      'a circle listed twice',
      { agencies: [agency()], trustCircles: [circle(), circle()] },
      'circle code "AU" is invalid, listed twice or an agency\'s code.',
    ],
    [
      'members neither "*" nor a list',
      { agencies: [agency()], trustCircles: [circle({ members: 'everyone' })] },
      'circle AU must list its members, or "*" for every agency.',
    ],
    [
      'an unknown member',
      { agencies: [agency()], trustCircles: [circle({ members: ['AFRIPOL', 'NOPE'] })] },
      'circle AU lists unknown agencies NOPE.',
    ],
    [
      'an unknown agency kind',
      { agencies: [agency(), agency({ code: 'SARPCCO', kind: 'CONTINENTAL' })], trustCircles: [] },
      'agencies[1].kind must be one of "GLOBAL", "REGIONAL", "NATIONAL".',
    ],
    ['a missing name', { agencies: [agency({ name: undefined })], trustCircles: [] }, 'agencies[0].name is missing.'],
    [
      'languages that are not a list',
      { agencies: [agency({ languages: 'fr' })], trustCircles: [] },
      'agencies[0].languages must be a list.',
    ],
    [
      'a language that is not a string',
      { agencies: [agency({ languages: ['fr', 7] })], trustCircles: [] },
      'agencies[0].languages[1] must be a string.',
    ],
    [
      'hostsNode that is not a boolean',
      { agencies: [agency({ hostsNode: 'yes' })], trustCircles: [] },
      'agencies[0].hostsNode must be true or false.',
    ],
    [
      'a circle without a description',
      { agencies: [agency()], trustCircles: [circle({ description: undefined })] },
      'trustCircles[0].description is missing.',
    ],
    ['no trust circles', { agencies: [agency()] }, 'expected { "agencies": [...], "trustCircles": [...] }.'],
    ['a file that is not an object', [agency()], 'expected { "agencies": [...], "trustCircles": [...] }.'],
  ];

  it.each(cases)('%s', (_what, data, expected) => {
    const file = write('directory.json', data);
    expect(refusal({ DIRECTORY_FILE: file }, file)).toBe(expected);
  });

  it('refuses a file that is not JSON, naming it', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "agencies": [');
    expect(() => loadConfig({ DIRECTORY_FILE: file })).toThrow(new RegExp(`^Cannot read the directory file ${file}: `));
  });
});

describe('federation.json: null is a setting left out', () => {
  it('takes every default for sections and values written as null', () => {
    const file = write('nulls.json', {
      gateway: null,
      directory: { url: null },
      trust: { audience: null },
      agencies: [{ code: 'INTERPOL', port: 4101, url: null, database: null }],
    });
    const { federation } = loadConfig({ FEDERATION_CONFIG: file, DATA_DIR: dir });
    expect(federation.gateway).toEqual({ port: 4000, nodeTimeoutMs: 2000, ...DEFAULT_GATEWAY_GUARDS });
    expect(federation.directory.url).toBe('http://localhost:4001/');
    expect(federation.trust.audience).toBe('records-federation');
    expect(federation.agencies[0]).toEqual({
      code: 'INTERPOL',
      port: 4101,
      url: 'http://localhost:4101/',
      database: path.join(dir, 'interpol.sqlite'),
      auditKey: path.join(dir, 'audit-keys', 'interpol.public.jwk.json'),
    });
    expect(federation.audit).toEqual({ witnessIntervalMs: 5000 });
  });
});
