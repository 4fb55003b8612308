import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../lib/config/index.js';
import { landingPage } from '../../../gateway/landing-page.js';

// What a browser gets at the gateway's URL, by configuration: the local explorer (the default
// outside production), Apollo Sandbox where asked for, nothing in production unless enabled,
// and a development token only for a browser on this machine, never in production.

const base = loadConfig();
// The dev issuer's keys are made in a folder of the test's own, not in ./data.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'landing-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const withExplorer = (explorer: Config['federation']['gateway']['explorer'], production = false): Config => ({
  ...base,
  production,
  federation: { ...base.federation, dataDir, gateway: { ...base.federation.gateway, explorer } },
});
const local = { socket: { remoteAddress: '127.0.0.1' }, headers: { host: '127.0.0.1:4000' } } as unknown as FastifyRequest;
const remote = { socket: { remoteAddress: '10.1.2.3' }, headers: { host: 'records.example:4000' } } as unknown as FastifyRequest;

describe('the landing page', () => {
  it('is the local explorer outside production, with the demo token on loopback only', async () => {
    const page = landingPage(withExplorer(undefined))!;
    const html = await page(local);
    expect(html).toContain('<script src="/explorer/explorer.js">');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toMatch(/"Authorization":"Bearer ey/);
    expect(html).toContain('"X-Purpose":"CRIMINAL_INVESTIGATION"');
    expect(await page(remote)).not.toMatch(/Bearer/);
  });

  it('gives no token to a page of another origin, nor through a proxy, nor to a DNS-rebinding host name', async () => {
    const page = landingPage(withExplorer(undefined))!;
    const from = (headers: Record<string, string>, address = '127.0.0.1') =>
      page({ socket: { remoteAddress: address }, headers: { host: '127.0.0.1:4000', ...headers } } as unknown as FastifyRequest);
    // The control: the same browser opening the page itself gets it.
    expect(await from({ 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' })).toMatch(/Bearer ey/);
    expect(await from({ origin: 'http://127.0.0.1:4000', 'sec-fetch-site': 'same-origin' })).toMatch(/Bearer ey/);
    const elsewhere: Record<string, string>[] = [
      { origin: 'http://localhost:5173', 'sec-fetch-site': 'same-site' },
      { origin: 'https://sandbox.embed.apollographql.com', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'cross-site' },
      { 'x-forwarded-for': '203.0.113.7' },
      { forwarded: 'for=203.0.113.7' },
      { via: '1.1 nginx' },
      { 'x-real-ip': '203.0.113.7' },
      { host: 'rebound.example:4000' },
    ];
    for (const headers of elsewhere) {
      expect(await from(headers), JSON.stringify(headers)).not.toMatch(/Bearer/);
    }
    expect(await from({}, '::ffff:10.0.0.5')).not.toMatch(/Bearer/);
  });

  it('is Apollo Sandbox where configured', async () => {
    expect(await landingPage(withExplorer('sandbox'))!(local)).toMatch(/sandbox/i);
  });

  it('is nothing when switched off, and nothing in production unless enabled', () => {
    expect(landingPage(withExplorer('off'))).toBeUndefined();
    expect(landingPage(withExplorer(undefined, true))).toBeUndefined();
  });

  it('carries no token in production, even when enabled there', async () => {
    const html = await landingPage(withExplorer('local', true))!(local);
    expect(html).toContain('explorer-config');
    expect(html).not.toMatch(/Bearer/);
  });
});
