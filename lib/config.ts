import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrustConfig } from './auth/verify.js';
import { isAgencyCode } from './ids.js';

// One file describes the federation: which agency nodes exist, where, and in what
// order their answers are concatenated. Adding an agency is an entry here, not code.

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AgencyNodeConfig {
  code: string;
  port: number;
  /** Where the gateway reaches the node. */
  url: string;
  /** The node's own store: a SQLite file path, or a postgres:// URL. */
  database: string;
}

export interface FederationConfig {
  dataDir: string;
  /** Whose tokens the gateway and every node accept. */
  trust: TrustConfig;
  gateway: { port: number; nodeTimeoutMs: number };
  directory: { port: number; url: string };
  agencies: AgencyNodeConfig[];
}

export class ConfigError extends Error {}

const DEFAULT_TRUST: TrustConfig = {
  audience: 'records-federation',
  algorithms: ['ES256'],
  clockToleranceSeconds: 30,
  issuers: [{ issuer: 'urn:records-federation:dev-issuer', jwks: 'dev-issuer/jwks.json', agencies: '*' }],
};

interface RawService {
  port?: unknown;
  url?: unknown;
  database?: unknown;
  code?: unknown;
  nodeTimeoutMs?: unknown;
}

/**
 * Reads FEDERATION_CONFIG (default ./federation.json at the project root), then applies
 * DATA_DIR (default ./data), GATEWAY_PORT and NODE_TIMEOUT_MS from the environment.
 */
export function loadFederationConfig(env: NodeJS.ProcessEnv = process.env): FederationConfig {
  const file = path.resolve(env.FEDERATION_CONFIG ?? path.join(PROJECT_ROOT, 'federation.json'));
  let raw: { gateway?: RawService; directory?: RawService; agencies?: RawService[]; trust?: Partial<TrustConfig> };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read federation config ${file}: ${(error as Error).message}`);
  }
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const gatewayPort = port(env.GATEWAY_PORT ?? raw.gateway?.port ?? 4000, 'gateway port (GATEWAY_PORT)');
  const nodeTimeoutMs = positiveInt(
    env.NODE_TIMEOUT_MS ?? raw.gateway?.nodeTimeoutMs ?? 2000,
    'node timeout (NODE_TIMEOUT_MS)',
  );
  const directoryPort = port(raw.directory?.port ?? 4001, 'directory port');
  if (!Array.isArray(raw.agencies) || raw.agencies.length === 0) {
    throw new ConfigError(`${file}: "agencies" must list at least one agency node.`);
  }
  const seen = new Set<string>();
  const agencies = raw.agencies.map((entry, index) => {
    const code = entry.code;
    if (typeof code !== 'string' || !isAgencyCode(code)) {
      throw new ConfigError(`${file}: agencies[${index}].code must be an agency code such as "INTERPOL".`);
    }
    if (seen.has(code)) throw new ConfigError(`${file}: agency ${code} is listed twice.`);
    seen.add(code);
    const nodePort = port(entry.port, `port of agency ${code}`);
    return {
      code,
      port: nodePort,
      url: optionalString(entry.url) ?? `http://localhost:${nodePort}/`,
      database: storeLocation(dataDir, optionalString(entry.database) ?? `${code.toLowerCase()}.sqlite`),
    };
  });
  return {
    dataDir,
    trust: trustFrom(raw.trust, file),
    gateway: { port: gatewayPort, nodeTimeoutMs },
    directory: { port: directoryPort, url: optionalString(raw.directory?.url) ?? `http://localhost:${directoryPort}/` },
    agencies,
  };
}

function trustFrom(raw: Partial<TrustConfig> | undefined, file: string): TrustConfig {
  const trust = { ...DEFAULT_TRUST, ...raw };
  if (trust.algorithms.some((alg) => alg === 'none' || alg.startsWith('HS'))) {
    throw new ConfigError(`${file}: trust.algorithms must be asymmetric (e.g. ES256, RS256, EdDSA); shared secrets and "none" are refused.`);
  }
  const validIssuer = (i: TrustConfig['issuers'][number]) =>
    typeof i.issuer === 'string' &&
    typeof i.jwks === 'string' &&
    (i.agencies === '*' || (Array.isArray(i.agencies) && i.agencies.every((code) => typeof code === 'string')));
  if (!Array.isArray(trust.issuers) || !trust.issuers.every(validIssuer)) {
    throw new ConfigError(
      `${file}: trust.issuers must list { "issuer": "...", "jwks": "<file or URL>", "agencies": ["CODE", ...] or "*" } entries.`,
    );
  }
  if (!Number.isFinite(trust.clockToleranceSeconds) || trust.clockToleranceSeconds < 0 || trust.clockToleranceSeconds > 300) {
    throw new ConfigError(`${file}: trust.clockToleranceSeconds must be between 0 and 300.`);
  }
  return trust;
}

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

function storeLocation(dataDir: string, database: string): string {
  return isPostgresUrl(database) ? database : path.resolve(dataDir, database);
}

function port(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`Invalid ${what}: ${String(value)}`);
  return n;
}

function positiveInt(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`Invalid ${what}: ${String(value)}`);
  return n;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
