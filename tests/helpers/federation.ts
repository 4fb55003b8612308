import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { loadFederationConfig, type FederationConfig } from '../../lib/config.js';
import { Federation } from '../../lib/launcher.js';
import { createTestDatabase, type StoreKind, type TestDatabase } from './databases.js';

// Starts the real federation (directory, four agency nodes, gateway: six processes) on
// free ports with its own data directory, so suites can run side by side.

export const AGENCIES = ['INTERPOL', 'EUROPOL', 'ASEANAPOL', 'LMLECC'] as const;

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestFederation {
  config: FederationConfig;
  federation: Federation;
  gatewayUrl: string;
  nodeUrl(agency: string): string;
  logs: string[];
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, url?: string): Promise<GraphQLResult<T>>;
  stop(): Promise<void>;
}

export interface TestFederationOptions {
  nodeTimeoutMs?: number;
  /** Where the nodes keep their stores (default SQLite files in the data directory). */
  store?: StoreKind;
}

export async function writeTestConfig(
  dataDir: string,
  options: { nodeTimeoutMs?: number; databases?: Record<string, string> } = {},
): Promise<string> {
  const file = path.join(dataDir, 'federation.json');
  const config = {
    gateway: { port: await getPort(), nodeTimeoutMs: options.nodeTimeoutMs ?? 2000 },
    directory: { port: await getPort() },
    agencies: await Promise.all(
      AGENCIES.map(async (code) => ({ code, port: await getPort(), database: options.databases?.[code] })),
    ),
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
    databases: Object.fromEntries(databases.map((db, i) => [AGENCIES[i]!, db.database])),
  });
  const env = { FEDERATION_CONFIG: configFile, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const config = loadFederationConfig(env);
  const logs: string[] = [];
  const federation = await Federation.start(config, {
    env,
    onLine: (service, line) => logs.push(`[${service}] ${line}`),
  });
  const query = async <T>(text: string, variables: Record<string, unknown> = {}, url = federation.url('gateway')) =>
    postGraphQL<T>(url, text, variables);
  return {
    config,
    federation,
    gatewayUrl: federation.url('gateway'),
    nodeUrl: (agency) => federation.url(agency),
    logs,
    query,
    async stop() {
      await federation.stop();
      await Promise.all(databases.map((db) => db.drop()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postGraphQL<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

/** Reads one counter from a process's /metrics. */
export async function metric(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} not found`);
  return Number(line.split(' ')[1]);
}
