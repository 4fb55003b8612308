import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { writeAtomically } from '../../../lib/write-atomically.js';

// Each agency node signs its ledger's heads, and the receipts it gives other nodes as their
// witness, with its own ES256 key: made on first start (like the dev issuer's), kept where
// AUDIT_SIGNING_KEY_FILE says (default DATA_DIR/audit-keys/<agency>.private.jwk.json), its
// public half published as a JWK file the other nodes are configured with (federation.json
// agencies[].auditKey, default DATA_DIR/audit-keys/<agency>.public.jwk.json).

export const AUDIT_ALGORITHM = 'ES256';

export interface AuditSigner {
  agency: string;
  key: CryptoKey;
  publicJwk: JWK;
  /** The public half, to check what this node signed (its heads, as its witnesses hand them back). */
  publicKey: CryptoKey;
}

/** Thrown when a node's signing key cannot be made, read or does not match what is published. */
export class AuditKeyError extends Error {}

export function defaultSigningKeyFile(dataDir: string, agency: string): string {
  return path.join(dataDir, 'audit-keys', `${agency.toLowerCase()}.private.jwk.json`);
}

/**
 * The node's signing key, made when missing; its public key written to `publishAt`. Refuses a
 * key that does not match the public key the federation config names for this agency
 * (`configuredPublic`, when that file exists): witnesses would refuse every head it signs.
 */
export async function ensureSigningKey(
  agency: string,
  privateFile: string,
  publishAt: string,
  configuredPublic: string,
): Promise<AuditSigner> {
  mkdirSync(path.dirname(privateFile), { recursive: true, mode: 0o700 });
  let privateJwk = readJwk(privateFile);
  if (!privateJwk) {
    const { privateKey } = await generateKeyPair(AUDIT_ALGORITHM, { extractable: true });
    const fresh = await exportJWK(privateKey);
    try {
      // Exclusive create: two processes racing both end up with the winner's key.
      writeFileSync(privateFile, JSON.stringify(fresh), { flag: 'wx', mode: 0o600 });
      privateJwk = fresh;
    } catch {
      privateJwk = readJwk(privateFile);
    }
  }
  const signer = await signerOf(agency, privateJwk, privateFile);
  // Checked before anything is written: a key made anew (its file lost or moved) must not
  // quietly replace the published one, whose heads the witnesses hold.
  const published = readJwk(configuredPublic) ?? readJwk(publishAt);
  if (published && (await thumbprint(published)) !== signer.publicJwk.kid) {
    throw new AuditKeyError(
      `The audit signing key ${privateFile} of ${agency} does not match its published public key ` +
        `(${readJwk(configuredPublic) ? configuredPublic : publishAt}): witnesses hold heads signed with that key. Restore the matching ` +
        'private key; to change keys on purpose, publish the new public key to every node first and remove the old one (docs/audit.md).',
    );
  }
  mkdirSync(path.dirname(publishAt), { recursive: true });
  writeAtomically(publishAt, JSON.stringify(signer.publicJwk, null, 2));
  return signer;
}

/** The node's signing key when it exists, for commands that must not make one (audit:verify). */
export async function readSigningKey(agency: string, privateFile: string): Promise<AuditSigner | undefined> {
  const jwk = readJwk(privateFile);
  return jwk ? signerOf(agency, jwk, privateFile) : undefined;
}

async function signerOf(agency: string, privateJwk: JWK | undefined, file: string): Promise<AuditSigner> {
  if (!privateJwk || privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256' || !privateJwk.d) {
    throw new AuditKeyError(`${file} is not an ES256 (P-256) private key in JWK form; move it away to have a new key made.`);
  }
  const { d: _private, ...rest } = privateJwk;
  const publicJwk: JWK = { kty: rest.kty, crv: rest.crv, x: rest.x, y: rest.y, alg: AUDIT_ALGORITHM, use: 'sig' };
  publicJwk.kid = await thumbprint(publicJwk);
  try {
    return {
      agency,
      key: (await importJWK(privateJwk, AUDIT_ALGORITHM)) as CryptoKey,
      publicJwk,
      publicKey: (await importJWK(publicJwk, AUDIT_ALGORITHM)) as CryptoKey,
    };
  } catch {
    throw new AuditKeyError(`${file} holds a key that cannot be used for ${AUDIT_ALGORITHM}.`);
  }
}

function thumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
}

function readJwk(file: string): JWK | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch {
    return undefined;
  }
}

/**
 * The other agencies' public audit keys, as the federation config names them. A file is read
 * again when it changes (a key rotated by its owner), and a missing or unusable one means
 * "no key": what it would have signed is refused.
 */
export class AuditKeys {
  private readonly cache = new Map<string, { mtimeMs: number; key: CryptoKey | undefined }>();

  constructor(private readonly files: ReadonlyMap<string, string>) {}

  static of(agencies: readonly { code: string; auditKey: string }[]): AuditKeys {
    return new AuditKeys(new Map(agencies.map((agency) => [agency.code, agency.auditKey])));
  }

  knows(agency: string): boolean {
    return this.files.has(agency);
  }

  async keyOf(agency: string): Promise<CryptoKey | undefined> {
    const file = this.files.get(agency);
    if (!file) return undefined;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.cache.get(agency);
    if (cached && cached.mtimeMs === mtimeMs) return cached.key;
    const jwk = readJwk(file);
    let key: CryptoKey | undefined;
    try {
      key = jwk && jwk.kty === 'EC' && !jwk.d ? ((await importJWK(jwk, AUDIT_ALGORITHM)) as CryptoKey) : undefined;
    } catch {
      key = undefined;
    }
    this.cache.set(agency, { mtimeMs, key });
    return key;
  }
}
