import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ISSUER } from '../../../lib/auth/dev-issuer.js';
import { AGENCIES, metric, postGraphQL, startTestFederation, type GraphQLResult, type TestFederation } from '../../helpers/federation.js';

// Token attacks, each rejected at the gateway and at a node: every bad token below is
// built here with jose from the trusted dev issuer's key files (or from keys an attacker
// could make), changing one thing of an otherwise valid token. The gateway refuses before
// any node is called; a node called directly refuses the same way.

const QUERY = '{ notices(first: 1) { id } }';
const PURPOSE = 'CRIMINAL_INVESTIGATION';
/** docs/disclosure.md, "Purposes". */
const PURPOSES = [
  'CRIMINAL_INVESTIGATION',
  'BORDER_CONTROL',
  'MISSING_PERSON',
  'COUNTER_TERRORISM',
  'ASSET_RECOVERY',
  'SANCTIONS_SCREENING',
  'VICTIM_IDENTIFICATION',
  'MUTUAL_LEGAL_ASSISTANCE',
];

type Headers = Record<string, string>;
type Answer = GraphQLResult<{ notices?: { id: string }[] | null }> & { status: number };

interface Attack {
  name: string;
  /** Headers of the request; X-Purpose is added unless the attack sets it. */
  headers: () => Headers;
  /** What the one-line message must say about the cause. */
  says: RegExp;
}

const now = () => Math.floor(Date.now() / 1000);

/** Nothing about the servers' insides: no stack, file path, host or port. */
const LEAK = /localhost|127\.0\.0\.1|\[::1\]|https?:\/\/|\/tmp\/|\/work\/|node_modules|\.[cm]?[jt]s\b|\bat .+:\d+:\d+|stacktrace/i;

describe('token attacks', () => {
  let fed: TestFederation;
  let issuerKey: CryptoKey;
  let realKid: string;
  let publicJwk: JWK;
  let audience: string;
  const tokens: Record<string, string> = {};

  /** The claims of a valid TH-RTP officer token; each attack changes one thing. */
  const claims = (overrides: Record<string, unknown> = {}): JWTPayload => {
    const t = now();
    const base: Record<string, unknown> = {
      iss: DEV_ISSUER,
      aud: audience,
      sub: 'attack-test',
      agency: 'TH-RTP',
      circles: ['GLOBAL', 'ASEAN', 'MEKONG'],
      roles: ['officer'],
      iat: t,
      nbf: t,
      exp: t + 600,
      ...overrides,
    };
    for (const [key, value] of Object.entries(base)) if (value === undefined) delete base[key];
    return base as JWTPayload;
  };

  const sign = (payload: JWTPayload, key: CryptoKey | Uint8Array = issuerKey, header: { alg?: string; kid?: string } = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: header.alg ?? 'ES256', kid: header.kid ?? realKid, typ: 'JWT' }).sign(key);

  const bearer = (name: string) => () => ({ authorization: `Bearer ${tokens[name]!}` });

  beforeAll(async () => {
    fed = await startTestFederation();
    audience = fed.config.federation.trust.audience;
    const dir = path.join(fed.config.federation.dataDir, 'dev-issuer');
    const privateJwk = JSON.parse(readFileSync(path.join(dir, 'private.jwk.json'), 'utf8')) as JWK;
    publicJwk = (JSON.parse(readFileSync(path.join(dir, 'jwks.json'), 'utf8')) as { keys: JWK[] }).keys[0]!;
    realKid = privateJwk.kid!;
    expect(publicJwk.kid).toBe(realKid);
    issuerKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;

    const attacker = await generateKeyPair('ES256');
    const rsaAttacker = await generateKeyPair('RS256');
    const publicKey = (await importJWK(publicJwk, 'ES256', { extractable: true })) as CryptoKey;
    const publicPem = await exportSPKI(publicKey);
    const { kid: _kid, alg: _alg, use: _use, ...bareJwk } = publicJwk;
    expect(await exportJWK(publicKey)).toMatchObject(bareJwk);

    tokens.valid = await sign(claims());
    tokens.none = new UnsecuredJWT(claims()).encode();
    tokens.hs256Jwk = await sign(claims(), new TextEncoder().encode(JSON.stringify(publicJwk)), { alg: 'HS256' });
    tokens.hs256Pem = await sign(claims(), new TextEncoder().encode(publicPem), { alg: 'HS256' });
    tokens.rs256 = await sign(claims(), rsaAttacker.privateKey, { alg: 'RS256' });
    tokens.wrongIssuer = await sign(claims({ iss: 'urn:example:rogue-issuer' }));
    tokens.wrongAudience = await sign(claims({ aud: 'some-other-federation' }));
    tokens.expired = await sign(claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }));
    tokens.notYetValid = await sign(claims({ nbf: now() + 3600, exp: now() + 7200 }));
    const [header, , signature] = tokens.valid.split('.');
    const forged = base64url.encode(
      JSON.stringify(claims({ agency: 'EUROPOL', circles: ['GLOBAL', 'EU'], roles: ['officer', 'reviewer'] })),
    );
    tokens.tampered = `${header}.${forged}.${signature}`;
    tokens.unknownKid = await sign(claims(), attacker.privateKey, { kid: 'attacker-key-1' });
    tokens.freshKeyRealKid = await sign(claims(), attacker.privateKey);
    tokens.unknownAgency = await sign(claims({ agency: 'FBI', circles: ['GLOBAL'] }));
    tokens.noSub = await sign(claims({ sub: undefined }));
    tokens.unknownRole = await sign(claims({ roles: ['officer', 'superuser'] }));
    tokens.auditor = await sign(claims({ roles: ['auditor'] }));
    tokens.expired2m = await sign(claims({ iat: now() - 180, nbf: now() - 180, exp: now() - 120 }));
    tokens.nbf2m = await sign(claims({ nbf: now() + 120, exp: now() + 720 }));
  });

  afterAll(async () => {
    await fed?.stop();
  });

  const ATTACKS: Attack[] = [
    { name: 'no token', headers: () => ({}), says: /missing bearer token/i },
    { name: 'alg: none', headers: bearer('none'), says: /algorithm/i },
    { name: 'HS256 signed with the public JWK as secret', headers: bearer('hs256Jwk'), says: /algorithm/i },
    { name: 'HS256 signed with the public key PEM as secret', headers: bearer('hs256Pem'), says: /algorithm/i },
    { name: 'RS256, an algorithm that is not pinned', headers: bearer('rs256'), says: /algorithm/i },
    { name: 'wrong issuer', headers: bearer('wrongIssuer'), says: /issuer/i },
    { name: 'wrong audience', headers: bearer('wrongAudience'), says: /audience/i },
    { name: 'expired', headers: bearer('expired'), says: /expired/i },
    { name: 'not yet valid (nbf)', headers: bearer('notYetValid'), says: /not valid yet/i },
    { name: 'tampered payload (other agency and roles, original signature)', headers: bearer('tampered'), says: /signature/i },
    { name: 'unknown key id', headers: bearer('unknownKid'), says: /key id/i },
    { name: 'fresh key with the real key id', headers: bearer('freshKeyRealKid'), says: /signature/i },
    { name: 'agency the directory does not know (FBI)', headers: bearer('unknownAgency'), says: /directory/i },
    { name: '"Bearer" with garbage', headers: () => ({ authorization: 'Bearer not.a-jwt' }), says: /well-formed JWT/i },
    { name: '"Bearer" with no token', headers: () => ({ authorization: 'Bearer' }), says: /Bearer <JWT>/ },
    { name: '"Basic xyz"', headers: () => ({ authorization: 'Basic xyz' }), says: /Bearer <JWT>/ },
    { name: 'token without sub', headers: bearer('noSub'), says: /\bsub\b/ },
    { name: 'roles with an unknown role', headers: bearer('unknownRole'), says: /roles/i },
  ];

  const send = (url: string, headers: Headers, query = QUERY): Promise<Answer> =>
    postGraphQL(url, query, {}, { 'x-purpose': PURPOSE, ...headers });

  function expectRefused(answer: Answer, status: number, code: string, says: RegExp): void {
    const body = JSON.stringify(answer);
    expect(answer.status, body).toBe(status);
    expect(answer.errors, body).toHaveLength(1);
    const [error] = answer.errors!;
    expect(error!.extensions?.code, body).toBe(code);
    expect(error!.message, body).toMatch(says);
    expect(error!.message, 'one line').not.toMatch(/[\r\n]/);
    expect(answer.data ?? null, body).toBeNull();
    expect(body).not.toMatch(LEAK);
  }

  const ENDPOINTS: [string, (fed: TestFederation) => string][] = [
    ['gateway', (f) => f.gatewayUrl],
    ['EUROPOL node', (f) => f.nodeUrl('EUROPOL')],
  ];

  describe.each(ENDPOINTS)('at the %s', (_where, urlOf) => {
    it('accepts the same token the attacks start from (control)', async () => {
      const answer = await send(urlOf(fed), { authorization: `Bearer ${tokens.valid!}` });
      expect(answer.errors).toBeUndefined();
      expect(answer.status).toBe(200);
      expect(answer.data!.notices!.length).toBeGreaterThan(0);
    });

    it.each(ATTACKS)('refuses $name with 401 UNAUTHENTICATED saying why', async ({ headers, says }) => {
      expectRefused(await send(urlOf(fed), headers()), 401, 'UNAUTHENTICATED', says);
    });

    it('requires X-Purpose: 400 BAD_REQUEST listing the accepted purposes', async () => {
      const answer = await postGraphQL(urlOf(fed), QUERY, {}, { authorization: `Bearer ${tokens.valid!}` });
      expectRefused(answer as Answer, 400, 'BAD_REQUEST', /X-Purpose/i);
      for (const purpose of PURPOSES) expect(answer.errors![0]!.message).toContain(purpose);
    });

    it('refuses an unknown purpose with 400 naming it', async () => {
      const answer = await send(urlOf(fed), { authorization: `Bearer ${tokens.valid!}`, 'x-purpose': 'FISHING' });
      expectRefused(answer, 400, 'BAD_REQUEST', /FISHING/);
      for (const purpose of PURPOSES) expect(answer.errors![0]!.message).toContain(purpose);
    });

    it('gives an auditor FORBIDDEN for notices: reading records needs officer or reviewer', async () => {
      const answer = await send(urlOf(fed), { authorization: `Bearer ${tokens.auditor!}` });
      const body = JSON.stringify(answer);
      expect(answer.status, body).toBe(200);
      expect(answer.errors?.length, body).toBeGreaterThan(0);
      for (const error of answer.errors!) {
        expect(error.extensions?.code, body).toBe('FORBIDDEN');
        expect(error.path, body).toEqual(['notices']);
        expect(error.message, body).toMatch(/officer or reviewer/);
      }
      expect(answer.data?.notices ?? [], body).toEqual([]);
      expect(body).not.toMatch(LEAK);
    });

    describe('clock skew (tolerance 30 s)', () => {
      it('accepts a token that expired 10 s ago, refuses one that expired 2 minutes ago', async () => {
        // Minted just before use: the 20 s left of the tolerance must not run out while the suite runs.
        const expired10s = await sign(claims({ iat: now() - 70, nbf: now() - 70, exp: now() - 10 }));
        const lenient = await send(urlOf(fed), { authorization: `Bearer ${expired10s}` });
        expect(lenient.errors, JSON.stringify(lenient)).toBeUndefined();
        expect(lenient.data!.notices!.length).toBeGreaterThan(0);
        expectRefused(await send(urlOf(fed), { authorization: `Bearer ${tokens.expired2m!}` }), 401, 'UNAUTHENTICATED', /expired/i);
      });

      it('accepts a token valid from 10 s from now, refuses one valid from 2 minutes from now', async () => {
        const nbf10s = await sign(claims({ nbf: now() + 10 }));
        const lenient = await send(urlOf(fed), { authorization: `Bearer ${nbf10s}` });
        expect(lenient.errors, JSON.stringify(lenient)).toBeUndefined();
        expect(lenient.data!.notices!.length).toBeGreaterThan(0);
        expectRefused(await send(urlOf(fed), { authorization: `Bearer ${tokens.nbf2m!}` }), 401, 'UNAUTHENTICATED', /not valid yet/i);
      });
    });
  });

  it('the gateway refuses before any node is called', async () => {
    const requests = () => Promise.all(AGENCIES.map((code) => metric(fed.nodeUrl(code), 'agency_graphql_requests_total')));
    const before = await requests();
    const answers = await Promise.all([
      ...ATTACKS.map((attack) => send(fed.gatewayUrl, attack.headers())),
      send(fed.gatewayUrl, { authorization: `Bearer ${tokens.expired2m!}` }),
      send(fed.gatewayUrl, { authorization: `Bearer ${tokens.nbf2m!}` }),
      send(fed.gatewayUrl, { authorization: `Bearer ${tokens.valid!}`, 'x-purpose': 'FISHING' }),
      postGraphQL(fed.gatewayUrl, QUERY, {}, { authorization: `Bearer ${tokens.valid!}` }) as Promise<Answer>,
      // A mixed question is not "introspection alone".
      send(fed.gatewayUrl, {}, '{ __schema { queryType { name } } notices(first: 1) { id } }'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([...ATTACKS.map(() => 401), 401, 401, 400, 400, 401]);
    expect(await requests()).toEqual(before);
    // The counters do move when a request gets through (one notices question reaches every node).
    await send(fed.gatewayUrl, { authorization: `Bearer ${tokens.valid!}` });
    expect((await requests()).map((n, i) => n - before[i]!)).toEqual(AGENCIES.map(() => 1));
  });

  describe('without a token', () => {
    it('answers introspection alone at the gateway, so Apollo Sandbox can load the schema', async () => {
      const schema = await postGraphQL<{ __schema: { queryType: { name: string } } }>(
        fed.gatewayUrl,
        '{ __schema { queryType { name } } }',
      );
      expect(schema.status).toBe(200);
      expect(schema.errors).toBeUndefined();
      expect(schema.data!.__schema.queryType.name).toBe('Query');
      const type = await postGraphQL<{ __type: { name: string } }>(fed.gatewayUrl, '{ __type(name: "Notice") { name } }');
      expect(type.errors).toBeUndefined();
      expect(type.data!.__type.name).toBe('Notice');
    });

    it('serves the landing page (GET / with Accept: text/html)', async () => {
      const response = await fetch(fed.gatewayUrl, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(await response.text()).toMatch(/<html/i);
    });
  });
});
