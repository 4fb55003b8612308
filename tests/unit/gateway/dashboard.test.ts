import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer } from '../../../lib/auth/dev-issuer.js';
import { ConfigError, loadConfig, type Config } from '../../../lib/config/index.js';
import { dashboardMode, dashboardRoutes } from '../../../gateway/dashboard/routes.js';
import { startGateway } from '../../../gateway/server.js';

// The cooperation dashboard at /dashboard, by configuration: on outside production and off in
// production unless set, refused in one line when misspelt; the demo token only for a browser
// on this machine in development; a page that allows nothing from another origin and runs no
// inline script; and, off, not served at all by the gateway.

const base = loadConfig();
// The dev issuer's keys are made in a folder of the test's own, not in ./data.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const withDashboard = (dashboard: Config['federation']['gateway']['dashboard'], production = false): Config => ({
  ...base,
  production,
  federation: { ...base.federation, dataDir, gateway: { ...base.federation.gateway, dashboard } },
});

const LOCAL = { remoteAddress: '127.0.0.1', headers: { host: '127.0.0.1:4000' } };
const REMOTE = { remoteAddress: '10.1.2.3', headers: { host: 'records.example:4000' } };
/** A page that resolves its name to 127.0.0.1 (DNS rebinding): a loopback connection, another host name. */
const REBOUND = { remoteAddress: '127.0.0.1', headers: { host: 'records.example:4000' } };

async function appWith(config: Config): Promise<FastifyInstance> {
  const app = Fastify();
  dashboardRoutes(config)?.(app);
  await app.ready();
  return app;
}

async function pageFor(config: Config, from: typeof LOCAL) {
  const app = await appWith(config);
  try {
    return await app.inject({ method: 'GET', url: '/dashboard', ...from });
  } finally {
    await app.close();
  }
}

/** The settings the page carries (its JSON script element). */
function settingsOf(html: string): { token?: string; purpose: string; purposes: string[]; agencies: string[]; endpoint: string } {
  const json = /<script id="dashboard-config" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!);
}

describe('gateway.dashboard', () => {
  it('is on outside production and off in production when unset; as set otherwise', () => {
    expect(dashboardMode(withDashboard(undefined))).toBe('on');
    expect(dashboardMode(withDashboard(undefined, true))).toBe('off');
    expect(dashboardMode(withDashboard('on', true))).toBe('on');
    expect(dashboardMode(withDashboard('off'))).toBe('off');
    expect(dashboardRoutes(withDashboard(undefined, true))).toBeUndefined();
    expect(dashboardRoutes(withDashboard('off'))).toBeUndefined();
  });

  it('is read from federation.json, and refused in one line when it is not "on" or "off"', () => {
    const file = path.join(dataDir, 'federation.json');
    const agencies = [{ code: 'INTERPOL', port: 4101 }];
    writeFileSync(file, JSON.stringify({ agencies, gateway: { dashboard: 'off' } }));
    expect(loadConfig({ FEDERATION_CONFIG: file }).federation.gateway.dashboard).toBe('off');
    writeFileSync(file, JSON.stringify({ agencies, gateway: { dashboard: 'yes' } }));
    expect(() => loadConfig({ FEDERATION_CONFIG: file })).toThrow(new ConfigError(`${file}: gateway.dashboard must be "on" or "off"`));
  });
});

describe('the dashboard page', () => {
  it('comes with the demo token for a browser on this machine in development, and with none for anyone else', async () => {
    await ensureDevIssuer(dataDir);
    const config = withDashboard(undefined);
    const local = settingsOf((await pageFor(config, LOCAL)).body);
    expect(local.token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(local).toMatchObject({
      endpoint: '/',
      purpose: 'MUTUAL_LEGAL_ASSISTANCE',
      agencies: base.federation.agencies.map((n) => n.code),
    });
    expect(local.purposes).toContain('CRIMINAL_INVESTIGATION');
    for (const from of [REMOTE, REBOUND]) {
      const response = await pageFor(config, from);
      expect(response.statusCode).toBe(200);
      expect(settingsOf(response.body).token).toBeUndefined();
      expect(response.body).not.toMatch(/ey[\w-]{10,}\./);
    }
  });

  it('carries no token in production, even switched on there and asked from this machine', async () => {
    const response = await pageFor(withDashboard('on', true), LOCAL);
    expect(response.statusCode).toBe(200);
    expect(settingsOf(response.body).token).toBeUndefined();
  });

  it('allows nothing from another origin and runs no inline script', async () => {
    const response = await pageFor(withDashboard(undefined), REMOTE);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/(^|; )default-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|; )connect-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    // Every script element either loads the gateway's own bundle or is data.
    const scripts = [...response.body.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!.trim());
    expect(scripts).toEqual(['id="dashboard-config" type="application/json"', 'src="/dashboard/dashboard.js"']);
    expect(response.body).not.toMatch(/<style|style=|https?:\/\//);
  });

  it('serves its script (Chart.js and the page code) and stylesheet from memory', async () => {
    const app = await appWith(withDashboard(undefined));
    try {
      const js = await app.inject({ method: 'GET', url: '/dashboard/dashboard.js' });
      expect(js.statusCode).toBe(200);
      expect(js.headers['content-type']).toMatch(/^text\/javascript/);
      expect(js.headers['x-content-type-options']).toBe('nosniff');
      expect(js.body).toMatch(/Chart\.js v4/);
      expect(js.body).toContain('dashboardCharts');
      const css = await app.inject({ method: 'GET', url: '/dashboard/dashboard.css' });
      expect(css.statusCode).toBe(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
    } finally {
      await app.close();
    }
  });
});

describe('the gateway', () => {
  async function gatewayWith(dashboard: 'on' | 'off') {
    const config = withDashboard(dashboard);
    const gateway = await startGateway(
      { ...config, federation: { ...config.federation, gateway: { ...config.federation.gateway, port: 0 } } },
      pino({ level: 'silent' }),
    );
    return gateway;
  }

  it('serves the dashboard when on, beside the explorer, and nothing at /dashboard when off', async () => {
    const on = await gatewayWith('on');
    try {
      const page = await fetch(new URL('/dashboard', on.url));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect((await fetch(new URL('/explorer/explorer.css', on.url))).status).toBe(200);
    } finally {
      await on.stop();
    }
    const off = await gatewayWith('off');
    try {
      for (const file of ['/dashboard', '/dashboard/dashboard.js', '/dashboard/dashboard.css']) {
        const response = await fetch(new URL(file, off.url));
        expect(response.status, file).toBe(404);
        expect(response.headers.get('content-security-policy')).toBeNull();
      }
    } finally {
      await off.stop();
    }
  });
});
