import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

// The kit's test issuer: an ES256 key pair made for one node under test, in a folder the
// operator chooses. The node trusts its public half (jwks.json) for the run and no longer:
// the private half never leaves the folder, so no token the kit can mint is valid anywhere
// that was not told to trust this one folder's key.

export const CONFORMANCE_ISSUER = 'urn:records-federation:conformance-kit';
const PRIVATE_FILE = 'private.jwk.json';
export const JWKS_FILE = 'jwks.json';

export interface KitIssuer {
  key: CryptoKey;
  kid: string;
  publicJwk: JWK;
}

/** Makes the issuer's keys in `dir` unless they are there; returns the path of the JWKS file to trust. */
export async function initIssuer(dir: string): Promise<{ jwks: string; created: boolean }> {
  const privateFile = path.join(dir, PRIVATE_FILE);
  const jwks = path.join(dir, JWKS_FILE);
  if (existsSync(privateFile)) return { jwks, created: false };
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  writeFileSync(privateFile, JSON.stringify({ ...privateJwk, kid, alg: 'ES256' }), { mode: 0o600 });
  writeFileSync(jwks, `${JSON.stringify({ keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] }, null, 2)}\n`);
  return { jwks, created: true };
}

export async function loadIssuer(dir: string): Promise<KitIssuer> {
  const privateFile = path.join(dir, PRIVATE_FILE);
  if (!existsSync(privateFile)) {
    throw new Error(
      `no conformance issuer in ${dir}: make one with \`npm run conformance -- --init --issuer ${dir}\` and configure the node to trust ${path.join(dir, JWKS_FILE)}`,
    );
  }
  const privateJwk = JSON.parse(readFileSync(privateFile, 'utf8')) as JWK;
  const { d: _d, ...publicJwk } = privateJwk;
  return { key: (await importJWK(privateJwk, 'ES256')) as CryptoKey, kid: privateJwk.kid!, publicJwk };
}

export interface TokenClaims {
  agency: string;
  circles: readonly string[];
  roles: readonly string[];
  sub: string;
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * The claims of a valid token for `caller`; `overrides` change or (undefined) drop one. Valid
 * from a minute ago for half an hour: a node whose clock is a little ahead still takes it,
 * and a slow run does not outlive it.
 */
export function claimsFor(caller: TokenClaims, audience: string, overrides: Record<string, unknown> = {}): JWTPayload {
  const t = now() - 60;
  const claims: Record<string, unknown> = {
    iss: CONFORMANCE_ISSUER,
    aud: audience,
    sub: caller.sub,
    agency: caller.agency,
    circles: [...caller.circles],
    roles: [...caller.roles],
    iat: t,
    nbf: t,
    exp: t + 1800,
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims as JWTPayload;
}

export function sign(
  issuer: KitIssuer,
  payload: JWTPayload,
  key: CryptoKey | Uint8Array = issuer.key,
  header: { alg?: string; kid?: string } = {},
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: header.alg ?? 'ES256', kid: header.kid ?? issuer.kid, typ: 'JWT' }).sign(key);
}
