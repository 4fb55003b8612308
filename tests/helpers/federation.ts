import type { GatewayGuards } from '../../lib/config/gateway-guards.js';
import type { OperationLimits } from '../../lib/limits/operation-limits.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import type { Role } from '../../lib/auth/caller.js';
import { ensureDevIssuer, mintToken, type DevIssuer } from '../../lib/auth/dev-issuer.js';
import { loadConfig, type Config } from '../../lib/config/index.js';
import { Federation } from '../../lib/launcher.js';
import { DEV_TLS_SECTION } from '../../lib/config/tls.js';
import { ensureDevCertificates } from '../../lib/tls/dev-ca.js';
import { federationLinks, type LinkFetch, type LinkPost } from '../../lib/tls/links.js';
import { serviceTlsFiles, watchTlsMaterial } from '../../lib/tls/material.js';
import { pino } from 'pino';
import { createTestDatabase, type StoreKind, type TestDatabase } from './databases.js';

// Starts the real federation (directory, four agency nodes, gateway: six processes) on
// free ports with its own data directory, so suites can run side by side.

export const AGENCIES = ['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC'] as const;

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Who a test calls as; circles default to the agency's directory circles. */
export interface CallerSpec {
  agency: string;
  roles?: Role[];
  circles?: string[];
  sub?: string;
}

export const DEFAULT_CALLER: CallerSpec = { agency: 'TH-RTP', roles: ['officer'] };

export interface QueryOptions {
  /** Whom to call as (default DEFAULT_CALLER); null sends no token. */
  as?: CallerSpec | null;
  purpose?: string | null;
  /** Another endpoint than the gateway, e.g. a node's URL. */
  url?: string;
  /** More headers, e.g. Accept-Language. */
  headers?: Record<string, string>;
}

export interface TestFederation {
  /** The configuration the federation's processes load (their files and environment). */
  config: Config;
  federation: Federation;
  gatewayUrl: string;
  nodeUrl(agency: string): string;
  /** Calls any of its services as the federation does (on TLS: trusting its CA, with the gateway's client certificate). */
  fetch: LinkFetch;
  /** The same links through undici's request API, as the gateway calls its nodes. */
  post: LinkPost;
  logs: string[];
  token(caller: CallerSpec): Promise<string>;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: QueryOptions,
  ): Promise<GraphQLResult<T> & { status: number }>;
  stop(): Promise<void>;
}

export interface TestFederationOptions {
  nodeTimeoutMs?: number;
  /** Where the nodes keep their stores (default SQLite files in the data directory). */
  store?: StoreKind;
  /** LOG_LEVEL of every process (default warn; info shows one line per request). */
  logLevel?: string;
  /** Operation limits other than the defaults (federation.json "limits"). */
  limits?: Partial<OperationLimits>;
  /**
   * Gateway guards other than the defaults (federation.json "gateway"). Suites run with a
   * rate limit no test reaches unless they set one: a suite is one partner asking hundreds
   * of questions a minute.
   */
  gateway?: Partial<GatewayGuards>;
  /** More environment for every process (e.g. REDIS_URL). */
  env?: Record<string, string>;
  /** Where the gateway reaches a node, when not at the node itself (e.g. a fault proxy in front of it). */
  urls?: Record<string, string>;
  /**
   * Every link on mutual TLS with a CA and certificates made in the data directory: true is
   * `FEDERATION_TLS=true` (the dev section); an object is written as federation.json's "tls".
   */
  tls?: true | { clientCertificates?: 'required' | 'optional'; partnerCa?: string };
  /** How often nodes offer their audit heads to their witnesses (federation.json audit.witnessIntervalMs). */
  witnessIntervalMs?: number;
  /** Runs after the data directory, keys and certificates are made, before any process starts (e.g. to put a bad certificate in place). */
  prepare?: (config: Config) => Promise<void>;
}

export async function writeTestConfig(
  dataDir: string,
  options: {
    nodeTimeoutMs?: number;
    databases?: Record<string, string>;
    limits?: Partial<OperationLimits>;
    gateway?: Partial<GatewayGuards>;
    urls?: Record<string, string>;
    tls?: TestFederationOptions['tls'];
    witnessIntervalMs?: number;
  } = {},
): Promise<string> {
  const file = path.join(dataDir, 'federation.json');
  const config = {
    gateway: {
      port: await getPort(),
      nodeTimeoutMs: options.nodeTimeoutMs ?? 2000,
      rateLimitRequests: 1_000_000,
      rateLimitAgencyRequests: 1_000_000,
      refusalsPerAddress: 1_000_000,
      ...options.gateway,
    },
    directory: { port: await getPort() },
    agencies: await Promise.all(
      AGENCIES.map(async (code) => ({ code, port: await getPort(), database: options.databases?.[code], url: options.urls?.[code] })),
    ),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.witnessIntervalMs ? { audit: { witnessIntervalMs: options.witnessIntervalMs } } : {}),
    ...(typeof options.tls === 'object' ? { tls: { ...DEV_TLS_SECTION, ...options.tls } } : {}),
  };
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'records-federation-'));
}

export async function startTestFederation(options: TestFederationOptions = {}): Promise<TestFederation> {
  const dataDir = await makeDataDir();
  const databases: TestDatabase[] = [];
  if (options.store === 'postgres') {
    for (const code of AGENCIES) databases.push(await createTestDatabase('postgres', code));
  }
  const configFile = await writeTestConfig(dataDir, {
    nodeTimeoutMs: options.nodeTimeoutMs,
    limits: options.limits,
    gateway: options.gateway,
    urls: options.urls,
    tls: options.tls,
    witnessIntervalMs: options.witnessIntervalMs,
    databases: Object.fromEntries(databases.map((db, i) => [AGENCIES[i]!, db.database])),
  });
  const env: Record<string, string> = {
    FEDERATION_CONFIG: configFile,
    DATA_DIR: dataDir,
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...(options.tls === true ? { FEDERATION_TLS: 'true' } : {}),
    ...options.env,
  };
  // PostgreSQL stores get demo data only when asked (the embedded default gets it unasked).
  if (options.store === 'postgres') env.SEED_DEMO_DATA = 'true';
  const config = loadConfig(env);
  const issuer = await ensureDevIssuer(dataDir);
  // The dev CA's files also where a "tls" section names the same places (tests make them; npm start does only for the dev section).
  const tls = config.federation.tls;
  if (tls) await ensureDevCertificates({ ...config.federation, tls: { ...tls, dev: true } });
  await options.prepare?.(config);
  const gatewayTls = tls ? watchTlsMaterial(serviceTlsFiles(tls, 'gateway'), pino({ level: 'silent' })) : undefined;
  const fetchWith = federationLinks(gatewayTls);
  const logs: string[] = [];
  const federation = await Federation.start(config.federation, {
    env,
    onLine: (service, line) => logs.push(`[${service}] ${line}`),
  });
  const tokens = new Map<string, Promise<string>>();
  const token = (caller: CallerSpec) => {
    const key = JSON.stringify(caller);
    if (!tokens.has(key)) tokens.set(key, tokenFor(issuer, config, caller));
    return tokens.get(key)!;
  };
  const query = async <T>(text: string, variables: Record<string, unknown> = {}, options: QueryOptions = {}) => {
    const caller = options.as === undefined ? DEFAULT_CALLER : options.as;
    const headers: Record<string, string> = { ...options.headers };
    if (caller) headers.authorization = `Bearer ${await token(caller)}`;
    const purpose = options.purpose === undefined ? 'CRIMINAL_INVESTIGATION' : options.purpose;
    if (purpose) headers['x-purpose'] = purpose;
    return postGraphQL<T>(options.url ?? federation.url('gateway'), text, variables, headers, fetchWith.fetch);
  };
  return {
    config,
    federation,
    gatewayUrl: federation.url('gateway'),
    nodeUrl: (agency) => federation.url(agency),
    fetch: fetchWith.fetch,
    post: fetchWith.post,
    logs,
    token,
    query,
    async stop() {
      gatewayTls?.stop();
      await fetchWith.close();
      await federation.stop();
      await Promise.all(databases.map((db) => db.drop()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function tokenFor(issuer: DevIssuer, config: Config, caller: CallerSpec, ttl: number | string = '1h'): Promise<string> {
  return mintToken(issuer, {
    agency: caller.agency,
    circles: caller.circles ?? config.directory.circlesOf(caller.agency),
    roles: caller.roles ?? ['officer'],
    sub: caller.sub ?? `${caller.agency.toLowerCase()}-test`,
    ttl,
    audience: config.federation.trust.audience,
  });
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  fetchWith: LinkFetch = fetch,
): Promise<GraphQLResult<T> & { status: number }> {
  const response = await fetchWith(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await response.json()) as GraphQLResult<T>), status: response.status };
}

/** Reads one counter from a process's /metrics. */
export async function metric(baseUrl: string, name: string, fetchWith: LinkFetch = fetch): Promise<number> {
  const text = await (await fetchWith(new URL('/metrics', baseUrl))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} not found`);
  return Number(line.split(' ')[1]);
}
