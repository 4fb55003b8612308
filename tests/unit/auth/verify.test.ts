import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer, mintToken, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import { TokenRejectedError, TokenVerifier, type TrustConfig } from '../../../lib/auth/verify.js';
import { loadConfig } from '../../../lib/config/index.js';

// What a verified token may claim: an issuer speaks only for the agencies it is trusted
// for, and only the circles the directory confirms for the agency count.

let dir: string;
let partnerDir: string;
let dev: DevIssuer;
let partner: DevIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'verify-'));
  partnerDir = path.join(dir, 'partner');
  dev = await ensureDevIssuer(dir);
  partner = await ensureDevIssuer(partnerDir);
  const trust: TrustConfig = {
    audience: 'records-federation',
    algorithms: ['ES256'],
    clockToleranceSeconds: 30,
    issuers: [
      { issuer: 'urn:records-federation:dev-issuer', jwks: 'dev-issuer/jwks.json', agencies: '*' },
      { issuer: 'https://idp.police.go.th', jwks: 'partner/dev-issuer/jwks.json', agencies: ['TH-RTP'] },
    ],
  };
  verifier = new TokenVerifier(trust, dir, loadConfig().directory);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('token claims the federation can vouch for', () => {
  it('lets an issuer speak for its own agency only', async () => {
    // A key pair of the Thai police's own identity provider, trusted for TH-RTP only.
    const sign = (agency: string) =>
      new SignJWT({ agency, circles: [], roles: ['officer', 'reviewer', 'auditor'] })
        .setProtectedHeader({ alg: 'ES256', kid: partner.kid })
        .setIssuer('https://idp.police.go.th')
        .setAudience('records-federation')
        .setSubject('officer-1')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(partner.key);
    await expect(verifier.verify(await sign('TH-RTP'))).resolves.toMatchObject({ agency: 'TH-RTP' });
    const forged = verifier.verify(await sign('EUROPOL'));
    await expect(forged).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(forged).rejects.toThrow('Token issuer https://idp.police.go.th may not issue tokens for agency EUROPOL.');
  });

  it('keeps only the circles the directory confirms for the agency', async () => {
    const token = await mintToken(dev, {
      agency: 'FR-PN',
      circles: ['EU', 'MEKONG', 'ASEAN', 'NO-SUCH-CIRCLE'],
      roles: ['officer'],
      sub: 'fr-1',
      ttl: '5m',
      audience: 'records-federation',
    });
    expect((await verifier.verify(token)).circles).toEqual(['EU']);
  });
});
