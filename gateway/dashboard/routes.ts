import type { FastifyInstance } from 'fastify';
import type { Config } from '../../lib/config/index.js';
import { pagePerBrowser } from '../landing-page.js';
import { serveBundle } from '../browser-bundle.js';
import { dashboardAssets } from './assets.js';
import { DASHBOARD_CSP, DASHBOARD_PATH, dashboardPage } from './page.js';

// GET /dashboard and its two assets (docs/dashboard.md). The page carries the demo partner's
// token on the explorer's terms (landing-page.ts: development, the dev issuer trusted, a
// browser on this machine), never otherwise.

export type DashboardMode = 'on' | 'off';

/** As configured; unset: on outside production, off in production. */
export function dashboardMode(config: Config): DashboardMode {
  return config.federation.gateway.dashboard ?? (config.production ? 'off' : 'on');
}

/** The dashboard's routes; undefined when it is off (then /dashboard is a 404 like any unknown path). */
export function dashboardRoutes(config: Config): ((app: FastifyInstance) => void) | undefined {
  if (dashboardMode(config) === 'off') return undefined;
  const agencies = config.federation.agencies.map((node) => node.code);
  const page = pagePerBrowser(config, async (token) => dashboardPage({ token, agencies }));
  return (app) => {
    app.get(DASHBOARD_PATH, async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', DASHBOARD_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        // frame-ancestors 'none' says it too; this is for browsers that read only this.
        .header('x-frame-options', 'DENY')
        // It may carry a token: kept by no cache.
        .header('cache-control', 'no-store')
        .send(await page(request)),
    );
    serveBundle(app, DASHBOARD_PATH, 'dashboard', dashboardAssets);
  };
}
