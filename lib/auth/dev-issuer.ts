import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { writeAtomically } from '../write-atomically.js';
import type { Role } from './caller.js';

// A development token issuer: an ES256 key pair made on first use under DATA_DIR and
// trusted by the local federation (federation.json lists its JWKS). Production trusts
// the partners' own issuers instead.

export const DEV_ISSUER = 'urn:records-federation:dev-issuer';
export const DEV_ALGORITHM = 'ES256';
const DIR = 'dev-issuer';

export interface DevIssuer {
  key: CryptoKey;
  kid: string;
}

export interface TokenRequest {
  agency: string;
  circles: string[];
  roles: Role[];
  sub: string;
  /** Seconds, or a jose time span such as "1h". */
  ttl: number | string;
  audience: string;
}

export async function ensureDevIssuer(dataDir: string): Promise<DevIssuer> {
  const dir = path.join(dataDir, DIR);
  const privateFile = path.join(dir, 'private.jwk.json');
  mkdirSync(dir, { recursive: true });
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(readFileSync(privateFile, 'utf8'));
  } catch {
    const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
    const fresh = await exportJWK(privateKey);
    fresh.kid = await calculateJwkThumbprint(fresh);
    try {
      // Exclusive create: when two processes race to make the key, both end up with the winner's.
      writeFileSync(privateFile, JSON.stringify(fresh), { flag: 'wx', mode: 0o600 });
      privateJwk = fresh;
    } catch {
      privateJwk = JSON.parse(readFileSync(privateFile, 'utf8'));
    }
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const jwksFile = path.join(dir, 'jwks.json');
  writeAtomically(jwksFile, JSON.stringify({ keys: [{ ...publicJwk, alg: DEV_ALGORITHM, use: 'sig' }] }, null, 2));
  return { key: (await importJWK(privateJwk, DEV_ALGORITHM)) as CryptoKey, kid: privateJwk.kid! };
}

export function mintToken(issuer: DevIssuer, request: TokenRequest): Promise<string> {
  return new SignJWT({ agency: request.agency, circles: request.circles, roles: request.roles })
    .setProtectedHeader({ alg: DEV_ALGORITHM, kid: issuer.kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(request.audience)
    .setSubject(request.sub)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(typeof request.ttl === 'number' ? `${request.ttl}s` : request.ttl)
    .sign(issuer.key);
}
