import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadFederationConfig, PROJECT_ROOT } from '../../lib/config.js';

// No Docker engine runs here: the compose file is checked against the federation config.

interface ComposeService {
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
};
const config = loadFederationConfig({ FEDERATION_CONFIG: path.join(PROJECT_ROOT, 'federation.compose.json'), DATA_DIR: '/data' });

describe('docker-compose.yml', () => {
  it('runs one node per agency of the config, with its own volume, port and health check', () => {
    for (const agency of config.agencies) {
      const name = agency.code.toLowerCase();
      const service = compose.services[name];
      expect(service, `service ${name}`).toBeDefined();
      expect(service!.command).toContain('subgraphs/agency/main.ts');
      expect(service!.environment).toMatchObject({ AGENCY_CODE: agency.code, PORT: String(agency.port), DATA_DIR: '/data' });
      expect(new URL(agency.url).hostname).toBe(name);
      expect(new URL(agency.url).port).toBe(String(agency.port));
      expect(service!.ports).toContain(`${agency.port}:${agency.port}`);
      expect(service!.volumes).toEqual([`${name}-data:/data`]);
      expect(compose.volumes).toHaveProperty(`${name}-data`);
      expect(service!.healthcheck?.test.join(' ')).toMatch(/\/health/);
    }
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

  it('commits no secret', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const key of Object.keys(service.environment ?? {})) {
        expect(key, `${name}.${key}`).not.toMatch(/PASSWORD|SECRET|PRIVATE|TOKEN|KEY/i);
      }
    }
  });

  it('builds one non-root image from production dependencies', () => {
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
