import type { OperationLimits } from '../limits/operation-limits.js';
import path from 'node:path';
import type { TrustConfig } from '../auth/verify.js';
import type { GatewayGuards } from './gateway-guards.js';
import type { Environment } from './env.js';
import { federationFileSchema, setting, toPort, toPositiveInt } from './federation-schema.js';
import { ConfigError } from './config-error.js';
import { parseConfigFile, parseSetting, readJsonFile } from './issues.js';
import { serviceName, tlsSettings, type TlsConfig } from './tls.js';

// One file describes the federation: which agency nodes exist, where, and in what
// order their answers are concatenated. Adding an agency is an entry here, not code.

export interface AgencyNodeConfig {
  code: string;
  port: number;
  /** Where the gateway reaches the node. */
  url: string;
  /** The node's own store: a SQLite file path, or a postgres:// URL. */
  database: string;
  /** The node's public audit signing key (a JWK file): other nodes check its signed ledger heads with it. */
  auditKey: string;
}

export interface FederationConfig {
  dataDir: string;
  /** Whose tokens the gateway and every node accept. */
  trust: TrustConfig;
  gateway: {
    port: number;
    nodeTimeoutMs: number;
    /** What browsers get at the gateway's URL: the local explorer, Apollo Sandbox (which loads from Apollo's sites), or nothing. Unset: local, off in production. */
    explorer?: 'local' | 'sandbox' | 'off';
    /** The cooperation dashboard at /dashboard: charts of cooperationReport, served by the gateway. Unset: on, off in production. */
    dashboard?: 'on' | 'off';
  } & GatewayGuards;
  /** Where the directory service listens (its data is the Directory value, lib/config/directory.ts). */
  directory: { port: number; url: string };
  agencies: AgencyNodeConfig[];
  /** The shape limits every operation must keep, at the gateway and at every node. */
  limits: OperationLimits;
  /** Witnessed audit heads: how often each node offers its ledger's head to the others (ms). */
  audit: { witnessIntervalMs: number };
  /** The federation's links on mutual TLS (lib/tls/); undefined: plain HTTP, or TLS ended by a proxy in front. */
  tls: TlsConfig | undefined;
}

/**
 * Reads FEDERATION_CONFIG (default ./federation.json at the project root), then applies
 * DATA_DIR (default ./data), GATEWAY_PORT and NODE_TIMEOUT_MS from the environment.
 */
export function loadFederationConfig(environment: Environment): FederationConfig {
  const file = environment.federationFile;
  const data = readJsonFile(file, (reason) => `Cannot read federation config ${file}: ${reason}`);
  const { gateway, directory, agencies, trust, limits, audit, tls: tlsSection } = parseConfigFile(federationFileSchema, data, file);
  const { dataDir } = environment;
  const tls = tlsSettings(tlsSection, environment.federationTls, dataDir, environment.production);
  if (!tls && (environment.service.tlsCertFile || environment.service.tlsKeyFile)) {
    throw new ConfigError(
      'TLS_CERT_FILE or TLS_KEY_FILE is set but the federation runs without TLS: add a "tls" section (or FEDERATION_TLS=true), or unset them.',
    );
  }
  const defaultUrl = (port: number) => `${tls ? 'https' : 'http'}://localhost:${port}/`;
  const config: FederationConfig = {
    dataDir,
    trust,
    limits,
    audit,
    tls,
    gateway: {
      ...gateway,
      // The environment wins over the file; a bad value there is refused naming the variable.
      port: overridden(gateway.port, environment.gatewayPort, setting(toPort, 'gateway port (GATEWAY_PORT)')),
      nodeTimeoutMs: overridden(gateway.nodeTimeoutMs, environment.nodeTimeoutMs, setting(toPositiveInt, 'node timeout (NODE_TIMEOUT_MS)')),
    },
    directory: { port: directory.port, url: directory.url || defaultUrl(directory.port) },
    agencies: agencies.map((node) => ({
      code: node.code,
      port: node.port,
      url: node.url || defaultUrl(node.port),
      database: storeLocation(dataDir, node.database || `${node.code.toLowerCase()}.sqlite`),
      auditKey: path.resolve(dataDir, node.auditKey || defaultAuditKeyFile(node.code)),
    })),
  };
  if (tls) requireHttpsLinks(config, file);
  return config;
}

function isHttpsUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname !== '';
  } catch {
    return false;
  }
}

const RESERVED_SERVICE_NAMES = new Set(['gateway', 'directory', 'ca']);

/** With TLS configured, a plain link would carry tokens and records in clear past the mutual authentication. */
function requireHttpsLinks(config: FederationConfig, file: string): void {
  const links = [
    { name: 'directory.url', url: config.directory.url },
    ...config.agencies.map((node) => ({ name: `the url of agency ${node.code}`, url: node.url })),
  ];
  for (const node of config.agencies) {
    if (RESERVED_SERVICE_NAMES.has(serviceName(node.code))) {
      throw new ConfigError(
        `${file}: agency ${node.code} would share the certificate files of the ${serviceName(node.code)} (tls.certificates); pick another code.`,
      );
    }
  }
  for (const { name, url } of links) {
    if (!isHttpsUrl(url)) {
      throw new ConfigError(`${file}: ${name} must be an https:// URL when "tls" is configured, not ${JSON.stringify(url)}.`);
    }
  }
}

function overridden(fromFile: number, fromEnvironment: string | undefined, schema: ReturnType<typeof setting>): number {
  return fromEnvironment === undefined ? fromFile : parseSetting(schema, fromEnvironment);
}

/** Where a node publishes its public audit signing key when federation.json names no other file (relative to DATA_DIR). */
export function defaultAuditKeyFile(agency: string): string {
  return path.join('audit-keys', `${agency.toLowerCase()}.public.jwk.json`);
}

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/** A SQLite file is relative to DATA_DIR; a PostgreSQL URL is used as it is. */
function storeLocation(dataDir: string, database: string): string {
  return isPostgresUrl(database) ? database : path.resolve(dataDir, database);
}
