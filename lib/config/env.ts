import path from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

// THE one place the project reads process.env (a test fails on any other): every variable a
// process or script uses is named here with its default, and callers get a typed value.
// Functions take the environment as a parameter, so tests pass their own.

/** Variables as the operating system hands them over. */
export type RawEnvironment = Readonly<Record<string, string | undefined>>;

/** What one process was told about itself: which agency node it runs, where, on which store. */
export interface ServiceEnvironment {
  /** AGENCY_CODE: the agency whose node this process runs ('' when unset). */
  agencyCode: string;
  /** PORT: overrides the port federation.json gives the directory or the node. */
  port: string | undefined;
  /** DATABASE_URL: a PostgreSQL store, overriding federation.json. */
  databaseUrl: string | undefined;
  /** DATABASE_PATH: a SQLite store, overriding federation.json. */
  databasePath: string | undefined;
  /** DATABASE_PASSWORD_FILE: the database password as a secret file (Compose, Kubernetes). */
  databasePasswordFile: string | undefined;
  /**
   * SEED_DEMO_DATA: "true" or "false"; unset, demo data goes only into the embedded default
   * (an empty SQLite store of a demo agency), never into PostgreSQL.
   */
  seedDemoData: boolean | undefined;
  /** TLS_CERT_FILE, TLS_KEY_FILE: this service's certificate and key, instead of <tls.certificates>/<service>.crt and .key. */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  /** AUDIT_SIGNING_KEY_FILE: the node's private audit signing key (default DATA_DIR/audit-keys/<agency>.private.jwk.json; made when missing). */
  auditSigningKeyFile: string | undefined;
}

/** Knobs of the benchmarks (bench/). */
export interface BenchEnvironment {
  /** BENCH_SUBJECTS, BENCH_QUERIES: size of the screening benchmark. */
  subjects: number;
  queries: number;
  /** BENCH_SECONDS, BENCH_CONNECTIONS: length and load of the gateway benchmark. */
  seconds: number;
  connections: number;
  /** Whether BENCH_SECONDS was given (--quick shortens the runs only when it was not). */
  secondsGiven: boolean;
  /** BENCH_ROUNDS: how many times each scenario's runs are repeated, interleaved (default 3; --quick: 1). */
  rounds: number | undefined;
  /** What the benchmark tells its baselines' processes: the floor's plan file, the stock gateway's subgraphs and port. */
  floorPlan: string | undefined;
  directoryUrl: string | undefined;
  recordsUrl: string | undefined;
  port: string | undefined;
}

export interface Environment {
  /** FEDERATION_CONFIG: nodes, ports and trust (default federation.json at the project root). */
  federationFile: string;
  /** DIRECTORY_FILE: agencies and trust circles (default subgraphs/directory/directory.json). */
  directoryFile: string;
  /** DATA_DIR: SQLite stores and the dev issuer's keys (default ./data). */
  dataDir: string;
  /**
   * GATEWAY_PORT and NODE_TIMEOUT_MS, as given: they override federation.json and are
   * checked with it (lib/config/federation.ts), so a bad value is refused with one line.
   */
  gatewayPort: string | undefined;
  nodeTimeoutMs: string | undefined;
  /** NODE_ENV=production: no introspection, no Apollo Sandbox. */
  production: boolean;
  /** LOG_LEVEL (pino), default info. */
  logLevel: string;
  /** HOST: the address every service binds to (default 127.0.0.1: this machine only). */
  host: string;
  /** CORS_ORIGINS: comma-separated browser origins allowed to call the services (see lib/config/http.ts). */
  corsOrigins: string | undefined;
  /** REDIS_URL: where gateway processes share their rate-limit budgets (unset: each keeps its own, in memory). */
  redisUrl: string | undefined;
  /** FEDERATION_TLS: "true" runs the federation's links on TLS with the dev CA when federation.json has no "tls"; "false" turns it off. */
  federationTls: string | undefined;
  service: ServiceEnvironment;
  bench: BenchEnvironment;
}

/** A bench count (BENCH_ROUNDS, BENCH_SUBJECTS, BENCH_QUERIES) checked where it is used: a whole number of 1 or more, or a one-line refusal. */
export function benchCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of 1 or more; got ${value}.`);
  return value;
}

/** Reads every variable the project uses; it never throws (values are checked where they are used). */
export function readEnvironment(env: RawEnvironment = process.env): Environment {
  return {
    federationFile: path.resolve(env.FEDERATION_CONFIG ?? path.join(PROJECT_ROOT, 'federation.json')),
    directoryFile: path.resolve(env.DIRECTORY_FILE ?? path.join(PROJECT_ROOT, 'subgraphs/directory/directory.json')),
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    gatewayPort: env.GATEWAY_PORT,
    nodeTimeoutMs: env.NODE_TIMEOUT_MS,
    production: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL ?? 'info',
    host: env.HOST || '127.0.0.1',
    corsOrigins: env.CORS_ORIGINS,
    redisUrl: env.REDIS_URL || undefined,
    federationTls: env.FEDERATION_TLS,
    service: {
      agencyCode: env.AGENCY_CODE ?? '',
      port: env.PORT,
      databaseUrl: env.DATABASE_URL,
      databasePath: env.DATABASE_PATH,
      databasePasswordFile: env.DATABASE_PASSWORD_FILE,
      seedDemoData: env.SEED_DEMO_DATA === undefined || env.SEED_DEMO_DATA === '' ? undefined : env.SEED_DEMO_DATA !== 'false',
      tlsCertFile: env.TLS_CERT_FILE || undefined,
      tlsKeyFile: env.TLS_KEY_FILE || undefined,
      auditSigningKeyFile: env.AUDIT_SIGNING_KEY_FILE || undefined,
    },
    bench: {
      subjects: Number(env.BENCH_SUBJECTS ?? 100_000),
      queries: Number(env.BENCH_QUERIES ?? 300),
      seconds: Number(env.BENCH_SECONDS ?? 10),
      connections: Number(env.BENCH_CONNECTIONS ?? 10),
      secondsGiven: env.BENCH_SECONDS !== undefined,
      rounds: env.BENCH_ROUNDS === undefined || env.BENCH_ROUNDS === '' ? undefined : Number(env.BENCH_ROUNDS),
      floorPlan: env.BENCH_FLOOR_PLAN,
      directoryUrl: env.BENCH_DIRECTORY_URL,
      recordsUrl: env.BENCH_RECORDS_URL,
      port: env.BENCH_PORT,
    },
  };
}

/**
 * The environment of a child process the launcher starts: this process's own, with the
 * child's settings on top (a node inherits PATH, LOG_LEVEL, NODE_ENV, ... from `npm start`).
 */
export function childEnvironment(settings: Record<string, string>, env: RawEnvironment = process.env): Record<string, string | undefined> {
  return { ...env, ...settings };
}
