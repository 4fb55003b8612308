import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditKeyError, AuditKeys, ensureSigningKey, readSigningKey } from '../../../subgraphs/agency/witness/keys.js';

// A node's audit signing key: made once, kept private, its public half published; a key made
// anew never quietly replaces the published one (witnesses hold heads signed with it).

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = (name: string) => ({
  private: path.join(dir, name, 'key.private.jwk.json'),
  public: path.join(dir, name, 'key.public.jwk.json'),
});

it('makes the key once, private to its owner, and publishes only its public half', async () => {
  const f = files('once');
  const first = await ensureSigningKey('EUROPOL', f.private, f.public, f.public);
  const again = await ensureSigningKey('EUROPOL', f.private, f.public, f.public);
  expect(again.publicJwk.kid).toBe(first.publicJwk.kid);
  expect((await stat(f.private)).mode & 0o777).toBe(0o600);
  const published = JSON.parse(await readFile(f.public, 'utf8')) as Record<string, unknown>;
  expect(published.d).toBeUndefined();
  expect(published.kid).toBe(first.publicJwk.kid);
  expect(await new AuditKeys(new Map([['EUROPOL', f.public]])).keyOf('EUROPOL')).toBeDefined();
});

it('refuses to start with a new key when the old public key is published, and changes nothing', async () => {
  const f = files('lost');
  await ensureSigningKey('EUROPOL', f.private, f.public, f.public);
  const published = await readFile(f.public, 'utf8');
  await unlink(f.private);
  await expect(ensureSigningKey('EUROPOL', f.private, f.public, f.public)).rejects.toThrow(AuditKeyError);
  await expect(ensureSigningKey('EUROPOL', f.private, f.public, f.public)).rejects.toThrow(/does not match its published public key/);
  expect(await readFile(f.public, 'utf8')).toBe(published);
});

it('refuses a key that does not match the public key the federation config names for the agency', async () => {
  const other = files('other');
  await ensureSigningKey('EUROPOL', other.private, other.public, other.public);
  const f = files('configured');
  await expect(ensureSigningKey('EUROPOL', f.private, f.public, other.public)).rejects.toThrow(AuditKeyError);
});

it('refuses a key file that is not an ES256 private key, and never makes one for a command that only reads', async () => {
  const f = files('bad');
  await ensureSigningKey('EUROPOL', f.private, f.public, f.public);
  await writeFile(f.private, JSON.stringify({ kty: 'RSA', n: 'x', e: 'AQAB' }));
  await expect(readSigningKey('EUROPOL', f.private)).rejects.toThrow(/not an ES256/);
  expect(await readSigningKey('EUROPOL', path.join(dir, 'missing', 'key.json'))).toBeUndefined();
  await expect(stat(path.join(dir, 'missing'))).rejects.toThrow();
});
