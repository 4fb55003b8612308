import { ConfigError } from './config-error.js';
import { loadDirectory, type Directory } from './directory.js';
import { readEnvironment, type Environment, type RawEnvironment, type ServiceEnvironment } from './env.js';
import { loadFederationConfig, type FederationConfig } from './federation.js';
import { httpSettings, type HttpSettings } from './http.js';

// The configuration of one process, as ONE value: loaded once in each main.ts or script
// and passed to what needs it, so no module reads files or the environment on import.

export interface Config {
  /** federation.json with its environment overrides: nodes, ports, data directory, trust. */
  federation: FederationConfig;
  /** The directory's data: agencies and trust circles. */
  directory: Directory;
  /** NODE_ENV=production: no introspection, no Apollo Sandbox. */
  production: boolean;
  /** LOG_LEVEL (pino). */
  logLevel: string;
  /** Where services listen and which browser origins may call them. */
  http: HttpSettings;
  /** REDIS_URL: shared state of several gateway processes (rate-limit budgets); undefined keeps it in memory. */
  redisUrl: string | undefined;
  /** What this process was told about itself (AGENCY_CODE, PORT, DATABASE_*, SEED_DEMO_DATA). */
  service: ServiceEnvironment;
}

/** Reads the environment and every configuration file; refuses a bad one with a ConfigError. */
export function loadConfig(env?: RawEnvironment): Config {
  return configFrom(readEnvironment(env));
}

/** The configuration for an environment already read (a process that needed LOG_LEVEL first). */
export function configFrom(environment: Environment): Config {
  return {
    federation: loadFederationConfig(environment),
    directory: loadDirectory(environment.directoryFile),
    production: environment.production,
    logLevel: environment.logLevel,
    http: httpSettings(environment),
    redisUrl: redisUrl(environment.redisUrl),
    service: environment.service,
  };
}

function redisUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(value)) {
    throw new ConfigError(
      'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (leave it unset to keep rate limits in memory).',
    );
  }
  return value;
}

export { ConfigError } from './config-error.js';
export { Directory, loadDirectory, type AgencyEntry, type AgencyKind, type TrustCircleEntry } from './directory.js';
export { childEnvironment, readEnvironment, type Environment, type RawEnvironment, type ServiceEnvironment } from './env.js';
export { isPostgresUrl, loadFederationConfig, type AgencyNodeConfig, type FederationConfig } from './federation.js';
export { type HttpSettings } from './http.js';
export { PROJECT_ROOT } from './project-root.js';
