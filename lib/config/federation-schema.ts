import { z } from 'zod';
import { DEFAULT_LIMITS, type OperationLimits } from '../limits/operation-limits.js';
import { DEFAULT_GATEWAY_GUARDS } from './gateway-guards.js';
import type { TrustConfig, TrustedIssuer } from '../auth/verify.js';
import { isWellFormedAgencyCode } from '../ids.js';
import { fieldName } from './issues.js';
import { tlsSectionSchema } from './tls.js';

// federation.json, checked as a whole before anything uses it. The messages are whole
// sentences (lib/config/issues.ts puts the file name in front of them).

const DEFAULT_TRUST: TrustConfig = {
  audience: 'records-federation',
  algorithms: ['ES256'],
  clockToleranceSeconds: 30,
  issuers: [{ issuer: 'urn:records-federation:dev-issuer', jwks: 'dev-issuer/jwks.json', agencies: '*' }],
};

/** Ports and timeouts may be numbers or numeric strings: environment variables are strings. */
export function toPort(value: unknown): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

export function toPositiveInt(value: unknown): number | undefined {
  if (typeof value === 'boolean' || Array.isArray(value)) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Ten minutes: longer than any request should live; Node's timers overflow past 2^31 ms. */
const MAX_TIMEOUT_MS = 600_000;

/** A whole number from 1 to `max`: timers past 2^31 ms fire at once, sizes past a few hundred MB cannot be read. */
function upTo(max: number) {
  return (value: unknown) => {
    const n = toPositiveInt(value);
    return n !== undefined && n <= max ? n : undefined;
  };
}

/** A setting converted by `convert`, `fallback` when absent, refused as "Invalid <what>: <value>". */
export function setting(convert: (value: unknown) => number | undefined, what: string, fallback?: number) {
  return z
    .unknown()
    .optional()
    .transform((value, context) => {
      const converted = convert(value ?? fallback);
      if (converted !== undefined) return converted;
      context.addIssue({ code: 'custom', message: `Invalid ${what}: ${String(value)}` });
      return z.NEVER;
    });
}

const agencyCode = (issue: { path?: PropertyKey[] }) => `${fieldName(issue.path)} must be an agency code such as "INTERPOL".`;

const agencyNodeSchema = z
  .object({
    code: z.string({ error: agencyCode }).refine(isWellFormedAgencyCode, { error: agencyCode }),
    port: z.unknown(),
    // null, like a key left out, means "the default".
    url: z.string().nullish(),
    database: z.string().nullish(),
    // The node's public audit signing key (a JWK file, relative to DATA_DIR): witnesses check its heads with it.
    auditKey: z.string().nullish(),
  })
  .transform((node, context) => {
    const port = toPort(node.port);
    if (port !== undefined) return { ...node, port };
    context.addIssue({ code: 'custom', message: `Invalid port of agency ${node.code}: ${String(node.port)}` });
    return z.NEVER;
  });

const NO_AGENCIES = '"agencies" must list at least one agency node.';

const agenciesSchema = z
  .array(agencyNodeSchema, { error: NO_AGENCIES })
  .min(1, { error: NO_AGENCIES })
  .superRefine((nodes, context) => {
    const seen = new Set<string>();
    for (const { code } of nodes) {
      if (seen.has(code)) context.addIssue({ code: 'custom', message: `agency ${code} is listed twice.` });
      seen.add(code);
    }
  });

const ASYMMETRIC = 'trust.algorithms must be asymmetric (e.g. ES256, RS256, EdDSA); shared secrets and "none" are refused.';
const ISSUERS = 'trust.issuers must list { "issuer": "...", "jwks": "<file or URL>", "agencies": ["CODE", ...] or "*" } entries.';
const CLOCK_TOLERANCE = 'trust.clockToleranceSeconds must be between 0 and 300.';

const trustedIssuersSchema = z.array(
  z.object({ issuer: z.string(), jwks: z.string(), agencies: z.union([z.literal('*'), z.array(z.string())]) }),
);

/** Whose tokens are accepted; every key left out keeps its default. */
const trustSchema = z.object({
  audience: z
    .string()
    .nullish()
    .transform((audience) => audience ?? DEFAULT_TRUST.audience),
  algorithms: z
    .array(z.string())
    .default(() => [...DEFAULT_TRUST.algorithms])
    .refine((algorithms) => !algorithms.some((alg) => alg === 'none' || alg.startsWith('HS')), { error: ASYMMETRIC }),
  issuers: z
    .custom<TrustedIssuer[]>((issuers) => trustedIssuersSchema.safeParse(issuers).success, { error: ISSUERS })
    .default(() => [...DEFAULT_TRUST.issuers]),
  clockToleranceSeconds: z
    .number({ error: CLOCK_TOLERANCE })
    .min(0, { error: CLOCK_TOLERANCE })
    .max(300, { error: CLOCK_TOLERANCE })
    .default(DEFAULT_TRUST.clockToleranceSeconds),
}) satisfies z.ZodType<TrustConfig>;

const LIMIT = (name: string) => `limits.${name} must be a whole number of at least 1.`;
const limit = (name: keyof OperationLimits) =>
  z
    .number({ error: LIMIT(name) })
    .int({ error: LIMIT(name) })
    .min(1, { error: LIMIT(name) })
    .default(DEFAULT_LIMITS[name]);

/** Operation limits of the gateway and every node (lib/limits/); a key left out keeps its default. */
const limitsSchema = z.object({
  maxDepth: limit('maxDepth'),
  maxAliases: limit('maxAliases'),
  maxDirectives: limit('maxDirectives'),
  maxTokens: limit('maxTokens'),
  maxRootFields: limit('maxRootFields'),
  maxCost: limit('maxCost'),
  deadlineMs: limit('deadlineMs').refine((value) => value <= MAX_TIMEOUT_MS, {
    error: `limits.deadlineMs must be at most ${MAX_TIMEOUT_MS}.`,
  }),
}) satisfies z.ZodType<OperationLimits>;

/** A section written as null is a section left out: every key of it keeps its default. */
const nullAsAbsent = (file: unknown) =>
  file && typeof file === 'object' && !Array.isArray(file)
    ? Object.fromEntries(Object.entries(file).filter(([key, value]) => !(value === null && key !== 'agencies')))
    : file;

const TOP_LEVEL = 'The federation config takes only "gateway", "directory", "agencies", "trust", "limits", "audit" and "tls"';

/** Witnessed audit heads (docs/audit.md): how often a node offers its ledger's head to the other nodes. */
const auditSchema = z.object({
  witnessIntervalMs: setting(upTo(3_600_000), 'audit.witnessIntervalMs (1-3600000)', 5000),
});

/** The file, in the order its parts are checked: gateway, directory, agency nodes, trust. Strict: a misspelt section ("TLS") is refused, not ignored. */
export const federationFileSchema = z.preprocess(
  nullAsAbsent,
  z.strictObject(
    {
      gateway: z
        .object({
          port: setting(toPort, 'gateway.port', 4000),
          nodeTimeoutMs: setting(upTo(MAX_TIMEOUT_MS), `gateway.nodeTimeoutMs (1-${MAX_TIMEOUT_MS})`, 2000),
          // The page browsers get at the gateway's URL (docs/explorer.md); unset: "local", or "off" in production.
          explorer: z.enum(['local', 'sandbox', 'off'], { error: 'gateway.explorer must be "local", "sandbox" or "off"' }).optional(),
          // The cooperation dashboard at /dashboard (docs/dashboard.md); unset: "on", or "off" in production.
          dashboard: z.enum(['on', 'off'], { error: 'gateway.dashboard must be "on" or "off"' }).optional(),
          maxAnswerBytes: setting(upTo(256 * 1024 * 1024), 'gateway.maxAnswerBytes (1-268435456)', DEFAULT_GATEWAY_GUARDS.maxAnswerBytes),
          breakerFailures: setting(upTo(1000), 'gateway.breakerFailures (1-1000)', DEFAULT_GATEWAY_GUARDS.breakerFailures),
          breakerCoolDownMs: setting(upTo(3_600_000), 'gateway.breakerCoolDownMs (1-3600000)', DEFAULT_GATEWAY_GUARDS.breakerCoolDownMs),
          rateLimitRequests: setting(
            upTo(1_000_000_000),
            'gateway.rateLimitRequests (1-1000000000)',
            DEFAULT_GATEWAY_GUARDS.rateLimitRequests,
          ),
          rateLimitAgencyRequests: setting(
            upTo(1_000_000_000),
            'gateway.rateLimitAgencyRequests (1-1000000000)',
            DEFAULT_GATEWAY_GUARDS.rateLimitAgencyRequests,
          ),
          rateLimitWindowSeconds: setting(
            upTo(86_400),
            'gateway.rateLimitWindowSeconds (1-86400)',
            DEFAULT_GATEWAY_GUARDS.rateLimitWindowSeconds,
          ),
          refusalsPerAddress: setting(
            upTo(1_000_000_000),
            'gateway.refusalsPerAddress (1-1000000000)',
            DEFAULT_GATEWAY_GUARDS.refusalsPerAddress,
          ),
          maxConcurrentRequests: setting(
            upTo(100_000),
            'gateway.maxConcurrentRequests (1-100000)',
            DEFAULT_GATEWAY_GUARDS.maxConcurrentRequests,
          ),
          queueTimeoutMs: setting(
            upTo(MAX_TIMEOUT_MS),
            `gateway.queueTimeoutMs (1-${MAX_TIMEOUT_MS})`,
            DEFAULT_GATEWAY_GUARDS.queueTimeoutMs,
          ),
        })
        .prefault({}),
      directory: z.object({ port: setting(toPort, 'directory port', 4001), url: z.string().nullish() }).prefault({}),
      agencies: agenciesSchema,
      trust: trustSchema.prefault({}),
      limits: limitsSchema.prefault({}),
      audit: auditSchema.prefault({}),
      tls: tlsSectionSchema.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `${TOP_LEVEL}; found ${issue.keys.map((key) => `"${key}"`).join(', ')}.` : undefined,
    },
  ),
);
