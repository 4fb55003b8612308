import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config/index.js';
import { tempDir } from './pki.js';

// federation.json's "tls" section and FEDERATION_TLS, read through loadConfig as every
// process reads them: paths relative to DATA_DIR, the dev section, https links required.

const dataDir = tempDir('config-data');
const configDir = tempDir('config-files');
let written = 0;

/** A federation.json with these contents; its path. */
function federationFile(data: unknown): string {
  written += 1;
  const file = path.join(configDir, `federation-${written}.json`);
  writeFileSync(file, JSON.stringify(data));
  return file;
}

const agencies = [
  { code: 'INTERPOL', port: 4101 },
  { code: 'EUROPOL', port: 4102 },
];

function load(data: unknown, env: Record<string, string> = {}) {
  const file = federationFile(data);
  return { file, config: loadConfig({ FEDERATION_CONFIG: file, DATA_DIR: dataDir, ...env }) };
}

/** The one line loading refuses with (a ConfigError, no newline, no stack in the message). */
function refusal(data: unknown, env: Record<string, string> = {}): { file: string; message: string } {
  const file = federationFile(data);
  let error: unknown;
  try {
    loadConfig({ FEDERATION_CONFIG: file, DATA_DIR: dataDir, ...env });
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).not.toMatch(/\n/);
  expect(message).not.toMatch(/\bat .*:\d+:\d+|Zod|issues/);
  return { file, message };
}

describe('the "tls" section of federation.json', () => {
  it('is read with paths relative to DATA_DIR resolved, absolute paths kept, client certificates required by default', () => {
    const { config } = load({ agencies, tls: { ca: 'pki/ca.pem', certificates: '/etc/federation/certs', partnerCa: 'pki/partners.pem' } });
    expect(config.federation.tls).toEqual({
      ca: path.join(dataDir, 'pki', 'ca.pem'),
      certificates: '/etc/federation/certs',
      clientCertificates: 'required',
      partnerCa: path.join(dataDir, 'pki', 'partners.pem'),
      dev: false,
    });
    // With TLS, the links left to their defaults are https.
    expect(config.federation.directory.url).toBe('https://localhost:4001/');
    expect(config.federation.agencies.map((node) => node.url)).toEqual(['https://localhost:4101/', 'https://localhost:4102/']);
  });

  it('takes clientCertificates "optional", and no partner CA when none is named', () => {
    const { config } = load({ agencies, tls: { ca: '/pki/ca.pem', certificates: 'certs', clientCertificates: 'optional' } });
    expect(config.federation.tls).toEqual({
      ca: '/pki/ca.pem',
      certificates: path.join(dataDir, 'certs'),
      clientCertificates: 'optional',
      partnerCa: undefined,
      dev: false,
    });
  });

  it('refuses a clientCertificates value it does not know, with one line naming tls.clientCertificates', () => {
    const { file, message } = refusal({ agencies, tls: { ca: 'ca.pem', certificates: 'certs', clientCertificates: 'sometimes' } });
    expect(message.startsWith(`${file}: `), message).toBe(true);
    expect(message).toContain('tls.clientCertificates');
    expect(message).toMatch(/"required"/);
    expect(message).toMatch(/"optional"/);
  });

  it('refuses a section without its CA or certificates folder, naming the key', () => {
    expect(refusal({ agencies, tls: { certificates: 'certs' } }).message).toContain('tls.ca');
    expect(refusal({ agencies, tls: { ca: 'ca.pem' } }).message).toContain('tls.certificates');
    expect(refusal({ agencies, tls: { ca: '', certificates: 'certs' } }).message).toContain('tls.ca');
  });

  it('is off when the file has no section and FEDERATION_TLS is unset or empty: plain http links', () => {
    for (const env of [{}, { FEDERATION_TLS: '' }] as Record<string, string>[]) {
      const { config } = load({ agencies }, env);
      expect(config.federation.tls).toBeUndefined();
      expect(config.federation.directory.url).toBe('http://localhost:4001/');
      expect(config.federation.agencies[0]!.url).toBe('http://localhost:4101/');
    }
  });
});

describe('FEDERATION_TLS', () => {
  it('true without a section gives the dev section under DATA_DIR/tls, and https default URLs', () => {
    const { config } = load({ agencies }, { FEDERATION_TLS: 'true' });
    expect(config.federation.tls).toEqual({
      ca: path.join(dataDir, 'tls', 'ca.crt'),
      certificates: path.join(dataDir, 'tls'),
      clientCertificates: 'required',
      partnerCa: undefined,
      dev: true,
    });
    expect(config.federation.directory.url).toBe('https://localhost:4001/');
    expect(config.federation.agencies.map((node) => node.url)).toEqual(['https://localhost:4101/', 'https://localhost:4102/']);
  });

  it('true with a section keeps the section (not the dev one)', () => {
    const { config } = load({ agencies, tls: { ca: 'mine/ca.pem', certificates: 'mine' } }, { FEDERATION_TLS: 'true' });
    expect(config.federation.tls).toMatchObject({ ca: path.join(dataDir, 'mine', 'ca.pem'), dev: false });
  });

  it('false turns a section off: plain http links', () => {
    const { config } = load({ agencies, tls: { ca: 'ca.pem', certificates: 'certs' } }, { FEDERATION_TLS: 'false' });
    expect(config.federation.tls).toBeUndefined();
    expect(config.federation.directory.url).toBe('http://localhost:4001/');
    expect(config.federation.agencies[1]!.url).toBe('http://localhost:4102/');
  });

  it('false also lets a section with http:// links load (TLS is off)', () => {
    const { config } = load(
      { agencies: [{ code: 'INTERPOL', port: 4101, url: 'http://interpol:4101/' }], tls: { ca: 'ca.pem', certificates: 'certs' } },
      { FEDERATION_TLS: 'false' },
    );
    expect(config.federation.agencies[0]!.url).toBe('http://interpol:4101/');
  });

  it('refuses any other value with one line naming the variable and the value', () => {
    const { message } = refusal({ agencies }, { FEDERATION_TLS: 'maybe' });
    expect(message).toContain('FEDERATION_TLS');
    expect(message).toContain('maybe');
    expect(refusal({ agencies }, { FEDERATION_TLS: 'yes' }).message).toContain('FEDERATION_TLS');
  });
});

describe('links on TLS', () => {
  it('refuses an explicit http:// agency URL, naming the agency and the file', () => {
    const { file, message } = refusal({
      agencies: [
        { code: 'INTERPOL', port: 4101, url: 'https://interpol:4101/' },
        { code: 'EUROPOL', port: 4102, url: 'http://europol:4102/' },
      ],
      tls: { ca: 'ca.pem', certificates: 'certs' },
    });
    expect(message.startsWith(`${file}: `), message).toBe(true);
    expect(message).toContain('EUROPOL');
    expect(message).not.toContain('INTERPOL');
    expect(message).toContain('http://europol:4102/');
  });

  it('refuses an explicit http:// directory URL, naming directory.url', () => {
    const { message } = refusal({ directory: { port: 4001, url: 'http://directory:4001/' }, agencies }, { FEDERATION_TLS: 'true' });
    expect(message).toContain('directory.url');
    expect(message).toContain('http://directory:4001/');
  });

  it('refuses an http:// agency URL with the dev section too (FEDERATION_TLS=true)', () => {
    const { message } = refusal({ agencies: [{ code: 'LMLECC', port: 4104, url: 'http://127.0.0.1:4104/' }] }, { FEDERATION_TLS: 'true' });
    expect(message).toContain('LMLECC');
  });

  it('refuses, on TLS only, an agency whose certificate files would be those of another service', () => {
    for (const code of ['GATEWAY', 'DIRECTORY', 'CA']) {
      const { file, message } = refusal({ agencies: [{ code, port: 4101 }] }, { FEDERATION_TLS: 'true' });
      expect(message.startsWith(`${file}: `), message).toBe(true);
      expect(message).toContain(code);
    }
    expect(load({ agencies: [{ code: 'GATEWAY', port: 4101 }] }).config.federation.agencies[0]!.code).toBe('GATEWAY');
  });

  it('keeps explicit https:// URLs as they are', () => {
    const { config } = load({
      directory: { port: 4001, url: 'https://directory.internal:8443/' },
      agencies: [{ code: 'INTERPOL', port: 4101, url: 'https://interpol.internal:4101/' }],
      tls: { ca: 'ca.pem', certificates: 'certs' },
    });
    expect(config.federation.directory.url).toBe('https://directory.internal:8443/');
    expect(config.federation.agencies[0]!.url).toBe('https://interpol.internal:4101/');
  });

  it('without TLS accepts https:// URLs (TLS ended by a proxy in front)', () => {
    const { config } = load({
      directory: { port: 4001, url: 'https://directory.example/' },
      agencies: [{ code: 'INTERPOL', port: 4101, url: 'https://interpol.example/' }],
    });
    expect(config.federation.tls).toBeUndefined();
    expect(config.federation.directory.url).toBe('https://directory.example/');
    expect(config.federation.agencies[0]!.url).toBe('https://interpol.example/');
  });
});

describe('the "tls" section, strictly', () => {
  const tls = { ca: 'ca.pem', certificates: 'certs' };

  it('refuses a misspelt key instead of leaving a default in force', () => {
    const { message } = refusal({ agencies, tls: { ...tls, partnerCA: 'partners.pem' } });
    expect(message).toContain('"partnerCA"');
    expect(message).toMatch(/tls takes only/);
  });

  it('reads clientCertificates written as null as the default, like every other section', () => {
    expect(load({ agencies, tls: { ...tls, clientCertificates: null } }).config.federation.tls?.clientCertificates).toBe('required');
  });

  it('refuses a link that only starts like an https URL', () => {
    for (const url of ['https://', 'https://:4101/']) {
      const { message } = refusal({ agencies: [{ code: 'INTERPOL', port: 4101, url }], tls });
      expect(message, url).toMatch(/INTERPOL must be an https:\/\/ URL/);
    }
  });
});

describe('TLS is never turned off quietly', () => {
  const tls = { ca: 'ca.pem', certificates: 'certs' };

  it('refuses FEDERATION_TLS=false against a "tls" section in production', () => {
    const { message } = refusal({ agencies, tls }, { FEDERATION_TLS: 'false', NODE_ENV: 'production' });
    expect(message).toMatch(/FEDERATION_TLS=false cannot turn off/);
  });

  it('refuses a misspelt section instead of running without it', () => {
    const { message } = refusal({ agencies, TLS: tls });
    expect(message).toContain('"TLS"');
  });

  it('refuses TLS_CERT_FILE or TLS_KEY_FILE where the federation runs without TLS', () => {
    for (const variable of ['TLS_CERT_FILE', 'TLS_KEY_FILE']) {
      const { message } = refusal({ agencies }, { [variable]: '/etc/federation/gateway.pem' });
      expect(message, variable).toMatch(/runs without TLS/);
    }
  });
});
