import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Directory } from '../config/directory.js';
import { ROLES, type Role } from './caller.js';

// Verifies partner tokens: trusted issuers with their keys, pinned algorithms, issuer,
// audience, expiry and not-before with a small clock skew, and claims the directory can
// vouch for. The gateway and every node run the same checks.

export interface TrustedIssuer {
  issuer: string;
  /** JWKS file (relative to DATA_DIR) or https URL. */
  jwks: string;
  /** The agencies this issuer may speak for: agency codes, or "*" for a development issuer. */
  agencies: string[] | '*';
}

export interface TrustConfig {
  audience: string;
  algorithms: string[];
  clockToleranceSeconds: number;
  issuers: TrustedIssuer[];
}

export interface VerifiedClaims {
  sub: string;
  agency: string;
  circles: string[];
  roles: Role[];
}

/** Why a token was refused, in one line a partner developer can act on. */
export class TokenRejectedError extends Error {}

/**
 * How long a verified token is taken as verified without checking its signature again, at
 * most (and never past its own expiry). A partner sends the same token with every question
 * until it expires, and checking its ES256 signature was about a tenth of the gateway's CPU
 * per question (issue 15). A key the issuer withdraws stops tokens already seen within this.
 */
export const VERIFIED_FOR_MS = 60_000;
/** Verified tokens kept, counted by their length: bounded whatever tokens partners send. */
const VERIFIED_CHARACTERS = 4_000_000;

interface Verified {
  claims: VerifiedClaims;
  /** The token's exp (epoch ms, wall clock). */
  expiresAt: number;
  /** When the check was made (performance.now(): a clock set back does not lengthen the window). */
  checkedAt: number;
}

export class TokenVerifier {
  private readonly keys = new Map<string, JWTVerifyGetKey>();
  /** Tokens that passed every check below, by the whole token; nothing refused is kept. */
  private readonly verified = new LRUCache<string, Verified>({
    maxSize: VERIFIED_CHARACTERS,
    sizeCalculation: (_, token) => Math.max(1, token.length),
  });
  private readonly speaksFor = new Map<string, TrustedIssuer['agencies']>();

  constructor(
    private readonly trust: TrustConfig,
    /** Where relative JWKS file names are found (DATA_DIR). */
    baseDir: string,
    /** The agencies a token may claim, and the circles the directory confirms for each. */
    private readonly directory: Directory,
  ) {
    for (const { issuer, jwks, agencies } of trust.issuers) {
      this.speaksFor.set(issuer, agencies);
      this.keys.set(issuer, /^https?:\/\//.test(jwks) ? createRemoteJWKSet(new URL(jwks)) : lazyLocalJwks(path.resolve(baseDir, jwks)));
    }
  }

  async verify(token: string): Promise<VerifiedClaims> {
    const seen = this.verified.get(token);
    if (seen && Date.now() < seen.expiresAt && performance.now() - seen.checkedAt < VERIFIED_FOR_MS) return copyOf(seen.claims);
    const { claims, expiresAt } = await this.check(token);
    this.verified.set(token, { claims: copyOf(claims), expiresAt, checkedAt: performance.now() });
    return claims;
  }

  /** Every check of a token: its issuer, signature, audience, times and claims. */
  private async check(token: string): Promise<{ claims: VerifiedClaims; expiresAt: number }> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new TokenRejectedError('The bearer token is not a well-formed JWT.');
    }
    const keys = typeof issuer === 'string' ? this.keys.get(issuer) : undefined;
    if (!keys) {
      throw new TokenRejectedError(`Token issuer ${JSON.stringify(String(issuer ?? null).slice(0, 100))} is not trusted here.`);
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: issuer as string,
        audience: this.trust.audience,
        algorithms: this.trust.algorithms,
        clockTolerance: this.trust.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new TokenRejectedError(this.explain(error));
    }
    const claims = claimsFrom(payload, this.directory);
    // An issuer speaks for its own agencies only: a partner's issuer cannot mint another agency's tokens.
    const agencies = this.speaksFor.get(issuer as string)!;
    if (agencies !== '*' && !agencies.includes(claims.agency)) {
      throw new TokenRejectedError(`Token issuer ${issuer as string} may not issue tokens for agency ${claims.agency}.`);
    }
    // exp is required above; past it (without the clock tolerance) the token is checked again.
    return { claims, expiresAt: (payload.exp as number) * 1000 };
  }

  private explain(error: unknown): string {
    if (error instanceof errors.JWTExpired) return 'The token has expired; get a new one from your issuer.';
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'nbf') return 'The token is not valid yet (nbf is in the future); check the issuer clock.';
      if (error.claim === 'aud') return `The token audience must be "${this.trust.audience}".`;
      if (error.claim === 'iss') return 'The token issuer is not trusted here.';
      return `The token claim "${error.claim}" is missing or invalid (${error.reason}).`;
    }
    if (error instanceof errors.JOSEAlgNotAllowed) {
      return `The token algorithm is not accepted; tokens must be signed with ${this.trust.algorithms.join(' or ')}.`;
    }
    if (error instanceof errors.JWKSNoMatchingKey) return "The token's key id (kid) is not among the issuer's keys.";
    if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature does not verify.';
    if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
      return "The issuer's keys could not be loaded; try again later.";
    }
    return 'The bearer token is not a valid signed JWT.';
  }
}

function claimsFrom(payload: Record<string, unknown>, directory: Directory): VerifiedClaims {
  const { sub, agency, circles = [], roles = [] } = payload as { sub?: unknown; agency?: unknown; circles?: unknown; roles?: unknown };
  if (typeof sub !== 'string' || sub.length === 0) throw new TokenRejectedError('The token has no subject (sub).');
  if (typeof agency !== 'string') throw new TokenRejectedError('The token has no "agency" claim.');
  if (!directory.hasAgency(agency)) {
    throw new TokenRejectedError(`The token's agency "${agency}" is not in the directory.`);
  }
  if (!isStringArray(circles)) throw new TokenRejectedError('The token claim "circles" must be a list of circle codes.');
  if (!isStringArray(roles) || !roles.every((role): role is Role => (ROLES as readonly string[]).includes(role))) {
    throw new TokenRejectedError(`The token claim "roles" must be a list of: ${ROLES.join(', ')}.`);
  }
  // Zero trust: a circle counts only if the directory lists the agency in it.
  const confirmed = new Set(directory.circlesOf(agency));
  return { sub, agency, circles: circles.filter((circle) => confirmed.has(circle)), roles };
}

/** Claims a caller cannot change in the verifier's keeping. */
function copyOf(claims: VerifiedClaims): VerifiedClaims {
  return { ...claims, circles: [...claims.circles], roles: [...claims.roles] };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Reads a JWKS file on first use (the dev issuer may create it after the process starts). */
function lazyLocalJwks(file: string): JWTVerifyGetKey {
  let keys: JWTVerifyGetKey | undefined;
  return (header, token) => {
    if (!keys) {
      try {
        keys = createLocalJWKSet(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        throw new errors.JWKSInvalid(`cannot read ${file}`);
      }
    }
    return keys(header, token);
  };
}
