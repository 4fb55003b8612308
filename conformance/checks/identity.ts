import { base64url, exportSPKI, generateKeyPair, importJWK, UnsecuredJWT, type CryptoKey } from 'jose';
import { graphqlBody, type Credentials } from '../client.js';
import { claimsFor, sign } from '../issuer.js';
import type { Check, Kit } from '../kit.js';
import { shown } from './show.js';

// Identity: every token attack of the federation's identity suite is refused with 401
// UNAUTHENTICATED, and a question without a known purpose with 400 BAD_REQUEST
// (docs/disclosure.md, "Calling the federation"). Each attack changes one thing of a valid
// token of a partner's officer.

const QUERY = '{ notices(first: 1) { id } }';

/**
 * What an attack asks: each kind of root field on its own (a refused non-null field would
 * null a whole answer and hide the others), so a node that checks tokens in some resolvers
 * only is caught.
 */
const attackQuestions = (kit: Kit): { query: string; variables?: Record<string, unknown> }[] => [
  { query: '{ notices(first: 1) { id } }' },
  { query: 'query ($id: ID!) { case(id: $id) { id } }', variables: { id: kit.globalId(kit.dataset.cases[0]!.localId) } },
  {
    query: 'query ($name: String!) { screen(person: { name: $name }) { score } }',
    variables: { name: kit.dataset.subjects[0]!.names[0]!.full },
  },
  {
    query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Notice { id } } }',
    variables: { r: [{ __typename: 'Notice', id: kit.globalId(kit.dataset.notices[0]!.localId) }] },
  },
  { query: 'query ($agency: ID!) { auditTrail(agency: $agency) { sequence } }', variables: { agency: kit.node.agency } },
];

type Attack = { name: string; what: string; credentials: (kit: Kit) => Promise<Credentials> };

const now = () => Math.floor(Date.now() / 1000);

/** A partner's officer, the one every attack starts from. */
const victim = (kit: Kit) => kit.partners[0] ?? kit.callers[0]!;

const bearer = (token: string, shownAs: string): Credentials => ({
  authorization: `Bearer ${token}`,
  shownAs: `Bearer <${shownAs}>`,
  purpose: 'CRIMINAL_INVESTIGATION',
});

async function signed(kit: Kit, overrides: Record<string, unknown>, key?: CryptoKey | Uint8Array, header?: { alg?: string; kid?: string }) {
  return sign(kit.options.issuer, claimsFor(victim(kit), kit.options.audience, overrides), key, header);
}

const ATTACKS: Attack[] = [
  { name: 'no-token', what: 'no Authorization header', credentials: async () => ({ purpose: 'CRIMINAL_INVESTIGATION' }) },
  {
    name: 'alg-none',
    what: 'an unsigned token (alg: none)',
    credentials: async (kit) => bearer(new UnsecuredJWT(claimsFor(victim(kit), kit.options.audience)).encode(), 'unsigned token'),
  },
  {
    name: 'hs256-public-key',
    what: "HS256 signed with the issuer's public key as the shared secret",
    credentials: async (kit) => {
      const publicKey = (await importJWK(kit.options.issuer.publicJwk, 'ES256', { extractable: true })) as CryptoKey;
      const pem = new TextEncoder().encode(await exportSPKI(publicKey));
      return bearer(await signed(kit, {}, pem, { alg: 'HS256' }), 'HS256 token keyed with the public key PEM');
    },
  },
  {
    name: 'hs256-public-jwk',
    what: "HS256 signed with the issuer's public JWK as the shared secret",
    credentials: async (kit) => {
      const secret = new TextEncoder().encode(JSON.stringify(kit.options.issuer.publicJwk));
      return bearer(await signed(kit, {}, secret, { alg: 'HS256' }), 'HS256 token keyed with the public JWK');
    },
  },
  {
    name: 'expired',
    what: 'a token that expired an hour ago',
    credentials: async (kit) => bearer(await signed(kit, { iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }), 'expired token'),
  },
  {
    name: 'no-expiry',
    what: 'a token without exp',
    credentials: async (kit) => bearer(await signed(kit, { exp: undefined }), 'token without exp'),
  },
  {
    name: 'unknown-role',
    what: 'a token with a role the contract does not know',
    credentials: async (kit) => bearer(await signed(kit, { roles: ['officer', 'superuser'] }), 'token with an unknown role'),
  },
  {
    name: 'zero-signature',
    what: 'an ES256 token whose signature is all zeros (r = s = 0, CVE-2022-21449)',
    credentials: async (kit) => {
      const [header, payload] = (await signed(kit, {})).split('.');
      return bearer(`${header}.${payload}.${base64url.encode(new Uint8Array(64))}`, 'token with an all-zero signature');
    },
  },
  {
    name: 'not-yet-valid',
    what: 'a token valid from an hour from now (nbf)',
    credentials: async (kit) => bearer(await signed(kit, { nbf: now() + 3600, exp: now() + 7200 }), 'token not valid yet'),
  },
  {
    name: 'wrong-audience',
    what: 'a token for another audience',
    credentials: async (kit) => bearer(await signed(kit, { aud: 'some-other-federation' }), 'token for another audience'),
  },
  {
    name: 'wrong-issuer',
    what: "a token naming an issuer the node does not trust (signed with the kit's key)",
    credentials: async (kit) => bearer(await signed(kit, { iss: 'urn:example:rogue-issuer' }), 'token of an untrusted issuer'),
  },
  {
    name: 'unknown-key',
    what: 'a token signed with a key the issuer never published, under an unknown key id',
    credentials: async (kit) => {
      const rogue = await generateKeyPair('ES256');
      return bearer(await signed(kit, {}, rogue.privateKey, { kid: 'rogue-key-1' }), 'token of an unknown key');
    },
  },
  {
    name: 'fresh-key-real-kid',
    what: "a token signed with another key under the issuer's real key id",
    credentials: async (kit) => {
      const rogue = await generateKeyPair('ES256');
      return bearer(await signed(kit, {}, rogue.privateKey), 'token of another key under the real key id');
    },
  },
  {
    name: 'edited-claims',
    what: "a valid token whose claims were edited to the node's own agency and more roles (signature kept)",
    credentials: async (kit) => {
      const [header, , signature] = (await signed(kit, {})).split('.');
      const edited = base64url.encode(
        JSON.stringify(
          claimsFor(
            { ...victim(kit), agency: kit.node.agency, circles: kit.node.circles, roles: ['officer', 'reviewer', 'auditor'] },
            kit.options.audience,
          ),
        ),
      );
      return bearer(`${header}.${edited}.${signature}`, 'token with edited claims');
    },
  },
  {
    name: 'unknown-agency',
    what: 'a token for an agency the directory does not list',
    credentials: async (kit) => bearer(await signed(kit, { agency: 'XX-UNLISTED', circles: [] }), 'token of an unlisted agency'),
  },
  {
    name: 'no-subject',
    what: 'a token without sub',
    credentials: async (kit) => bearer(await signed(kit, { sub: undefined }), 'token without sub'),
  },
  {
    name: 'not-a-jwt',
    what: '"Bearer" followed by something that is not a JWT',
    credentials: async () => bearer('not.a-jwt', 'not.a-jwt'),
  },
];

const identityCheck = (attack: Attack): Check => ({
  name: `identity.${attack.name}`,
  group: 'Identity',
  promise: `${attack.what} is refused, whatever it asks (a list, a lookup, screening, _entities, the ledger): HTTP 401, errors with extensions.code UNAUTHENTICATED, no data`,
  async run(kit, fail) {
    const credentials = await attack.credentials(kit);
    for (const { query, variables } of attackQuestions(kit)) {
      const exchange = await kit.client.post(query, variables, credentials);
      const body = graphqlBody(exchange);
      const codes = (body.errors ?? []).map((error) => error.extensions?.code);
      if (
        exchange.status !== 401 ||
        codes.length === 0 ||
        codes.some((code) => code !== 'UNAUTHENTICATED') ||
        (body.data !== undefined && body.data !== null)
      ) {
        fail({ request: exchange.request, got: shown(exchange), contract: this.promise });
        return;
      }
    }
  },
});

const PURPOSE_CHECKS: Check[] = [
  {
    name: 'identity.valid-token',
    group: 'Identity',
    promise: "a partner officer's valid token with a purpose is answered (the control the attacks start from)",
    async run(kit, fail) {
      const exchange = await kit.client.post(QUERY, undefined, await kit.as(victim(kit)));
      const body = graphqlBody(exchange);
      if (exchange.status !== 200 || body.errors || !Array.isArray(body.data?.notices))
        fail({ request: exchange.request, got: shown(exchange), contract: this.promise });
    },
  },
  {
    name: 'identity.auditor-reads-no-records',
    group: 'Identity',
    promise:
      'reading records needs the officer or reviewer role: an auditor-only token gets FORBIDDEN and no record, from a list, a lookup, screening or _entities',
    async run(kit, fail) {
      const auditor = await kit.as(kit.caller(victim(kit).agency, ['auditor']));
      for (const { query, variables } of attackQuestions(kit).slice(0, 4)) {
        const exchange = await kit.client.post(query, variables, auditor);
        const body = graphqlBody(exchange);
        const forbidden = (body.errors ?? []).some((error) => error.extensions?.code === 'FORBIDDEN');
        const records = Object.values(body.data ?? {}).flatMap((value) =>
          Array.isArray(value) ? value.filter((item) => item !== null) : value === null ? [] : [value],
        );
        if (!forbidden || records.length > 0) fail({ request: exchange.request, got: shown(exchange), contract: this.promise });
      }
    },
  },
  ...[
    { name: 'purpose-missing', what: 'a question without X-Purpose', purpose: null },
    { name: 'purpose-unknown', what: "a question whose X-Purpose is not one of the contract's purposes", purpose: 'CURIOSITY' },
  ].map(({ name, what, purpose }): Check => ({
    name: `identity.${name}`,
    group: 'Identity',
    promise: `${what} is refused: HTTP 400, extensions.code BAD_REQUEST, no data`,
    async run(kit, fail) {
      const exchange = await kit.client.post(QUERY, undefined, await kit.as(victim(kit), purpose));
      const body = graphqlBody(exchange);
      const codes = (body.errors ?? []).map((error) => error.extensions?.code);
      if (exchange.status !== 400 || !codes.includes('BAD_REQUEST') || (body.data !== undefined && body.data !== null)) {
        fail({ request: exchange.request, got: shown(exchange), contract: this.promise });
      }
    },
  })),
];

export const IDENTITY_CHECKS: Check[] = [...PURPOSE_CHECKS.slice(0, 1), ...ATTACKS.map(identityCheck), ...PURPOSE_CHECKS.slice(1)];
