import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureDevIssuer, mintToken, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import { TokenRejectedError, TokenVerifier, VERIFIED_FOR_MS, type TrustConfig } from '../../../lib/auth/verify.js';
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

describe('tokens verified lately', () => {
  // Signatures checked, counted where jose checks them (WebCrypto): a token seen lately is not
  // checked again, within VERIFIED_FOR_MS and its own expiry; a refused token is never kept.
  const signatureChecks = () => vi.spyOn(crypto.subtle, 'verify');
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });
  const officer = (ttl: number | string, sub = 'cache-1') =>
    mintToken(dev, { agency: 'TH-RTP', circles: ['ASEAN'], roles: ['officer'], sub, audience: 'records-federation', ttl });

  it('are checked once, and every caller gets its own copy of the same claims', async () => {
    const token = await officer('5m');
    const checks = signatureChecks();
    const first = await verifier.verify(token);
    first.roles.push('auditor');
    first.circles.length = 0;
    const second = await verifier.verify(token);
    expect(second).toEqual({ sub: 'cache-1', agency: 'TH-RTP', circles: ['ASEAN'], roles: ['officer'] });
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it(`are checked again after ${VERIFIED_FOR_MS / 1000} s, and past their expiry as if never seen`, async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const token = await officer('10m', 'cache-2');
    const checks = signatureChecks();
    await verifier.verify(token);
    vi.advanceTimersByTime(VERIFIED_FOR_MS - 1000);
    await verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2000);
    await verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(2);

    const brief = await officer(20, 'cache-3');
    await verifier.verify(brief);
    // Past exp, within the clock tolerance (30 s): checked again, and still accepted.
    vi.advanceTimersByTime(25_000);
    await expect(verifier.verify(brief)).resolves.toMatchObject({ sub: 'cache-3' });
    expect(checks).toHaveBeenCalledTimes(4);
    // Past the tolerance: refused, though it was verified a minute ago.
    vi.advanceTimersByTime(30_000);
    await expect(verifier.verify(brief)).rejects.toThrow('The token has expired; get a new one from your issuer.');
  });

  it('are kept only when they passed: a refused token is checked, and refused, every time', async () => {
    const token = await officer('5m', 'cache-4');
    const [head, body, signature] = token.split('.');
    const tampered = `${head}.${body}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    const checks = signatureChecks();
    for (let i = 0; i < 3; i++) await expect(verifier.verify(tampered)).rejects.toThrow('The token signature does not verify.');
    expect(checks).toHaveBeenCalledTimes(3);
    // The real token is not found under a tampered one's name, nor the other way round.
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'cache-4' });
    await expect(verifier.verify(tampered)).rejects.toThrow('The token signature does not verify.');
  });
});
