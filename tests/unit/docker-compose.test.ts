import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT, type FederationConfig } from '../../lib/config/index.js';
import { AGENCY_NODE_V8_FLAGS } from '../../lib/config/node-flags.js';
import { federationServices, nodeArguments } from '../../lib/launcher.js';
import { serviceTlsFiles } from '../../lib/tls/material.js';

// No Docker engine runs here: the compose file is checked against the federation config.

/** A secret as a service lists it: its name (mounted at /run/secrets/<name>), or source and target. */
type SecretReference = string | { source: string; target?: string };

interface ComposeService {
  image?: string;
  secrets?: SecretReference[];
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[]; timeout?: string };
  depends_on?: Record<string, { condition: string }>;
}

const COMPOSE_CONFIG = path.join(PROJECT_ROOT, 'federation.compose.json');
const compose = parse(readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
};
const config = loadConfig({ FEDERATION_CONFIG: COMPOSE_CONFIG, DATA_DIR: '/data' }).federation;

/** Where each secret a service lists is mounted in its container (Compose: /run/secrets/<target or name>). */
function mountsOf(service: ComposeService): { source: string; target: string }[] {
  return (service.secrets ?? []).map((secret) => {
    const { source, target } = typeof secret === 'string' ? { source: secret, target: undefined } : secret;
    return { source, target: path.posix.resolve('/run/secrets', target ?? source) };
  });
}

const sourcesOf = (service: ComposeService) => mountsOf(service).map((mount) => mount.source);

/** The compose services that run one of the federation's Node processes. */
const nodeServices = Object.entries(compose.services).filter(([, service]) => service.command?.some((part) => part.endsWith('main.ts')));

/** Whose configuration and certificate a compose service runs with: gateway, directory or the agency code, by its entry point. */
function federationServiceOf(service: ComposeService): string {
  const command = service.command!.join(' ');
  if (command.includes('gateway/main.ts')) return 'gateway';
  if (command.includes('subgraphs/directory/main.ts')) return 'directory';
  if (command.includes('subgraphs/agency/main.ts')) return service.environment!.AGENCY_CODE!;
  throw new Error(`unknown entry point: ${command}`);
}

/** The configuration the service's process loads in its container (its environment; the compose config from this checkout). */
function configInContainer(service: ComposeService): FederationConfig {
  return loadConfig({ ...service.environment, FEDERATION_CONFIG: COMPOSE_CONFIG, DATA_DIR: '/data' }).federation;
}

/** The TLS files a service's process reads: the CA bundle, its certificate and key. */
function tlsFilesOf(service: ComposeService) {
  const tls = configInContainer(service).tls;
  expect(tls, 'federation.compose.json has a "tls" section').toBeDefined();
  return serviceTlsFiles(tls!, federationServiceOf(service), {
    cert: service.environment?.TLS_CERT_FILE,
    key: service.environment?.TLS_KEY_FILE,
  });
}

/** The secret mounted at `target` in a service, if any. */
function secretAt(service: ComposeService, target: string): string | undefined {
  return mountsOf(service).find((mount) => mount.target === target)?.source;
}

function seconds(duration: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(duration ?? '');
  if (!match) return NaN;
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60 }[match[2] as 'ms' | 's' | 'm'];
}

describe('docker-compose.yml', () => {
  it('runs one node per agency of the config, on its port, with a health check', () => {
    for (const agency of config.agencies) {
      const name = agency.code.toLowerCase();
      const service = compose.services[name];
      expect(service, `service ${name}`).toBeDefined();
      expect(service!.command).toContain('subgraphs/agency/main.ts');
      expect(service!.environment).toMatchObject({ AGENCY_CODE: agency.code, PORT: String(agency.port) });
      expect(new URL(agency.url).hostname).toBe(name);
      expect(new URL(agency.url).port).toBe(String(agency.port));
      expect(service!.ports).toContain(`${agency.port}:${agency.port}`);
      expect(service!.healthcheck?.test, `${name} health check`).toBeDefined();
    }
  });

  it('starts every agency node with the V8 flags of lib/config/node-flags.ts, as npm start and start:node do', () => {
    const withFlags = ['node', ...AGENCY_NODE_V8_FLAGS, '--import', 'tsx', 'subgraphs/agency/main.ts'];
    expect(AGENCY_NODE_V8_FLAGS.length).toBeGreaterThan(0);
    for (const agency of config.agencies) expect(compose.services[agency.code.toLowerCase()]!.command).toEqual(withFlags);
    const scripts = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['start:node']).toBe(withFlags.join(' '));
    const launched = federationServices(config);
    for (const agency of config.agencies) {
      const args = nodeArguments(launched.find((spec) => spec.name === agency.code)!);
      expect(args.slice(0, AGENCY_NODE_V8_FLAGS.length)).toEqual(AGENCY_NODE_V8_FLAGS);
      expect(args.at(-1)).toMatch(/subgraphs\/agency\/main\.ts$/);
    }
    // The gateway and the directory run with Node's defaults (the gateway is compared with a stock one, which does too).
    for (const name of ['gateway', 'directory']) expect(launched.find((spec) => spec.name === name)!.v8Flags).toBeUndefined();
  });

  it('makes every service listen on its container network (services bind to 127.0.0.1 by default)', () => {
    expect(nodeServices.length).toBe(config.agencies.length + 2);
    for (const [name, service] of nodeServices) {
      expect(service.environment?.HOST, name).toBe('0.0.0.0');
    }
  });

  it('gives every node its own PostgreSQL server, volume and password, started first', () => {
    const volumes = new Set<string>();
    for (const agency of config.agencies) {
      const name = agency.code.toLowerCase();
      const node = compose.services[name]!;
      const db = compose.services[`${name}-db`];
      expect(db, `database service ${name}-db`).toBeDefined();
      expect(db!.image).toMatch(/^postgres:/);
      expect(db!.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
      expect(node.depends_on?.[`${name}-db`]?.condition).toBe('service_healthy');
      const url = new URL(node.environment!.DATABASE_URL!);
      expect(url.hostname).toBe(`${name}-db`);
      expect(url.password).toBe('');
      const secret = `${name}-db-password`;
      expect(sourcesOf(db!)).toEqual([secret]);
      // Its own password and no other agency's.
      expect(sourcesOf(node).filter((source) => source.endsWith('-db-password'))).toEqual([secret]);
      expect(db!.environment!.POSTGRES_PASSWORD_FILE).toBe(`/run/secrets/${secret}`);
      expect(node.environment!.DATABASE_PASSWORD_FILE).toBe(`/run/secrets/${secret}`);
      expect(secretAt(node, `/run/secrets/${secret}`)).toBe(secret);
      expect(compose.secrets[secret]!.file).toMatch(/^\.\/secrets\//);
      const [volume] = db!.volumes![0]!.split(':');
      expect(compose.volumes).toHaveProperty(volume!);
      volumes.add(volume!);
    }
    expect(volumes.size).toBe(config.agencies.length);
  });

  it('starts the gateway after the directory and every node are healthy', () => {
    const gateway = compose.services.gateway!;
    expect(gateway.environment?.GATEWAY_PORT).toBe(String(config.gateway.port));
    expect(gateway.ports).toContain(`${config.gateway.port}:${config.gateway.port}`);
    const dependencies = ['directory', ...config.agencies.map((a) => a.code.toLowerCase())];
    expect(Object.keys(gateway.depends_on ?? {}).sort()).toEqual(dependencies.sort());
    for (const dependency of dependencies) expect(gateway.depends_on![dependency]!.condition).toBe('service_healthy');
    expect(new URL(config.directory.url).hostname).toBe('directory');
    expect(compose.services.directory!.environment?.PORT).toBe(String(config.directory.port));
  });

  it("gives the gateway and every node the trusted issuers' keys the config points to", () => {
    const jwks = config.trust.issuers.map((issuer) => issuer.jwks);
    expect(jwks).toEqual(['/run/secrets/issuers-jwks']);
    expect(compose.secrets['issuers-jwks']!.file).toMatch(/^\.\/secrets\//);
    for (const name of ['gateway', ...config.agencies.map((a) => a.code.toLowerCase())]) {
      expect(secretAt(compose.services[name]!, '/run/secrets/issuers-jwks'), name).toBe('issuers-jwks');
    }
  });

  it('commits no secret: passwords come from secret files that git ignores', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|PRIVATE|TOKEN|KEY/i.test(key)) expect(value, `${name}.${key}`).toMatch(/^\/run\/secrets\//);
      }
    }
    expect(readFileSync(path.join(PROJECT_ROOT, '.gitignore'), 'utf8')).toMatch(/^secrets\/$/m);
  });

  it('reads every secret a service mounts from a file under ./secrets/', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const targets = mountsOf(service).map((mount) => mount.target);
      expect(new Set(targets).size, `${name} mounts two secrets at one place`).toBe(targets.length);
      for (const { source, target } of mountsOf(service)) {
        expect(compose.secrets[source], `${name}: secret ${source}`).toBeDefined();
        const file = compose.secrets[source]!.file;
        expect(file, `secret ${source}`).toMatch(/^\.\/secrets\//);
        expect(path.posix.normalize(file), `secret ${source}`).toMatch(/^secrets\//);
        expect(target, `${name}: secret ${source}`).toMatch(/^\/run\/secrets\//);
      }
    }
  });

  it("loads federation.compose.json with the services' own loader, in every service's environment", () => {
    for (const [name, service] of nodeServices) {
      // In the image the file is /app/federation.compose.json (the Dockerfile copies it to /app).
      expect(service.environment?.FEDERATION_CONFIG, name).toBe('/app/federation.compose.json');
      expect(() => configInContainer(service), name).not.toThrow();
    }
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^COPY .*\bfederation\.compose\.json\b.* \.\/$/m);
  });
});

describe('docker-compose.yml on mutual TLS', () => {
  const raw = JSON.parse(readFileSync(COMPOSE_CONFIG, 'utf8')) as { tls?: Record<string, unknown> };

  it('has a "tls" section naming files under /run/secrets, the same whatever DATA_DIR is', () => {
    expect(raw.tls).toBeDefined();
    expect(config.tls).toBeDefined();
    const tls = config.tls!;
    expect(tls.dev).toBe(false);
    expect(tls.clientCertificates).toBe('required');
    for (const file of [tls.ca, tls.certificates]) expect(file).toMatch(/^\/run\/secrets\//);
    const elsewhere = loadConfig({ FEDERATION_CONFIG: COMPOSE_CONFIG, DATA_DIR: '/elsewhere' }).federation.tls!;
    expect({ ca: elsewhere.ca, certificates: elsewhere.certificates }).toEqual({ ca: tls.ca, certificates: tls.certificates });
  });

  it('reaches every node and the directory at https://<compose service>:<its port>/', () => {
    const links = [
      { url: config.directory.url, port: config.directory.port },
      ...config.agencies.map((node) => ({ url: node.url, port: node.port })),
    ];
    expect(links.map((link) => new URL(link.url).hostname).sort()).toEqual(
      nodeServices
        .filter(([, service]) => federationServiceOf(service) !== 'gateway')
        .map(([name]) => name)
        .sort(),
    );
    for (const { url, port } of links) {
      const parsed = new URL(url);
      expect(parsed.protocol, url).toBe('https:');
      const service = compose.services[parsed.hostname];
      expect(service, `${url}: no compose service ${parsed.hostname}`).toBeDefined();
      expect(parsed.port, url).toBe(String(port));
      expect(service!.environment?.PORT, url).toBe(String(port));
      expect(federationServiceOf(service!).toLowerCase(), url).toBe(parsed.hostname);
    }
  });

  it('mounts in every Node service the CA bundle, its own certificate and its own key', () => {
    for (const [name, service] of nodeServices) {
      const files = tlsFilesOf(service);
      const own = federationServiceOf(service).toLowerCase();
      for (const [what, file] of [
        ['CA bundle', files.ca],
        ['certificate', files.cert],
        ['key', files.key],
      ] as const) {
        const secret = secretAt(service, file);
        expect(secret, `${name} reads its TLS ${what} from ${file}, where no secret is mounted`).toBeDefined();
        if (what === 'CA bundle') continue;
        // The secret's file is the service's own: <service>.crt, <service>.key.
        const extension = what === 'key' ? '.key' : '.crt';
        expect(path.posix.basename(compose.secrets[secret!]!.file), `${name}'s ${what}`).toBe(`${own}${extension}`);
      }
    }
    // One CA bundle for the whole federation.
    const caSecrets = new Set(nodeServices.map(([, service]) => secretAt(service, tlsFilesOf(service).ca)));
    expect(caSecrets.size).toBe(1);
  });

  it("gives no service another service's key", () => {
    // Each Node service's key: the secret mounted where it reads its key, and that secret's file.
    const keys = nodeServices.map(([name, service]) => {
      const source = secretAt(service, tlsFilesOf(service).key)!;
      return { name, source, file: path.posix.normalize(compose.secrets[source]!.file) };
    });
    expect(new Set(keys.map((key) => key.source)).size, 'a key secret shared by two services').toBe(keys.length);
    expect(new Set(keys.map((key) => key.file)).size, 'a key file shared by two services').toBe(keys.length);
    const keyFiles = new Set(keys.map((key) => key.file));
    for (const [name, service] of Object.entries(compose.services)) {
      const own = keys.find((key) => key.name === name);
      for (const { source, target } of mountsOf(service)) {
        const file = path.posix.normalize(compose.secrets[source]?.file ?? '');
        if (own && source === own.source) continue;
        expect(keyFiles.has(file), `${name} mounts ${source}, the key file ${file}`).toBe(false);
        expect(target, `${name} mounts a key it does not use at ${target}`).not.toMatch(/\.key$/);
        expect(file, `${name} mounts the private key ${file}`).not.toMatch(/\.key$/);
      }
    }
  });

  it("gives every node its own audit signing key, and every agency's public audit key where the config names it", () => {
    const privateFiles = config.agencies.map((node) => {
      const service = compose.services[node.code.toLowerCase()]!;
      const keyFile = service.environment?.AUDIT_SIGNING_KEY_FILE;
      expect(keyFile, node.code).toMatch(/^\/run\/secrets\//);
      const source = secretAt(service, keyFile!);
      expect(source, `${node.code} mounts its audit signing key`).toBeDefined();
      for (const other of config.agencies) {
        expect(secretAt(service, other.auditKey), `${node.code} has ${other.code}'s public audit key`).toBeDefined();
        expect(compose.secrets[secretAt(service, other.auditKey)!]!.file).toMatch(/\.public\.jwk\.json$/);
      }
      // Where it publishes its own public key (DATA_DIR/audit-keys) must be writable: the image's /data volume.
      expect(service.environment?.DATA_DIR, node.code).toBe('/data');
      return { code: node.code, file: path.posix.normalize(compose.secrets[source!]!.file) };
    });
    expect(new Set(privateFiles.map((key) => key.file)).size, 'an audit key file shared by two nodes').toBe(privateFiles.length);
    for (const [name, service] of Object.entries(compose.services)) {
      const own = privateFiles.find((key) => key.code.toLowerCase() === name);
      for (const { source } of mountsOf(service)) {
        const file = path.posix.normalize(compose.secrets[source]?.file ?? '');
        if (own && file === own.file) continue;
        expect(file, `${name} mounts another service's private audit key`).not.toMatch(/private/);
      }
    }
  });

  it('checks every Node service with scripts/healthcheck.ts <its own name>, in time', () => {
    expect(existsSync(path.join(PROJECT_ROOT, 'scripts/healthcheck.ts'))).toBe(true);
    expect(readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8')).toMatch(/^COPY scripts \.\/scripts$/m);
    for (const [name, service] of nodeServices) {
      const test = service.healthcheck?.test ?? [];
      expect(test.slice(0, -1), name).toEqual(['CMD', 'node', '--import', 'tsx', 'scripts/healthcheck.ts']);
      expect(test.at(-1), name).toBe(federationServiceOf(service).toLowerCase());
      // The script starts in about 1.5 s (tsx) and waits up to 2 s for the answer.
      expect(seconds(service.healthcheck?.timeout), `${name} health check timeout`).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('Dockerfile', () => {
  it('builds one non-root image from production dependencies', () => {
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
