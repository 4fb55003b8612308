import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../lib/config/index.js';

// No Docker engine runs here: the compose file is checked against the federation config.

interface ComposeService {
  image?: string;
  secrets?: string[];
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
};
const config = loadConfig({ FEDERATION_CONFIG: path.join(PROJECT_ROOT, 'federation.compose.json'), DATA_DIR: '/data' }).federation;

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
      expect(service!.healthcheck?.test.join(' ')).toMatch(/\/ready/);
    }
  });

  it('makes every service listen on its container network (services bind to 127.0.0.1 by default)', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.command?.some((part) => part.endsWith('main.ts'))) continue;
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
      expect(db!.secrets).toEqual([secret]);
      expect(node.secrets).toEqual([secret, 'issuers-jwks']);
      expect(db!.environment!.POSTGRES_PASSWORD_FILE).toBe(`/run/secrets/${secret}`);
      expect(node.environment!.DATABASE_PASSWORD_FILE).toBe(`/run/secrets/${secret}`);
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
      expect(compose.services[name]!.secrets).toContain('issuers-jwks');
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

  it('builds one non-root image from production dependencies', () => {
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
