import { GRAPHQL_PATH } from '../../lib/http/serve.js';
import { PURPOSES } from '../../lib/auth/purposes.js';

// The dashboard's HTML (docs/dashboard.md): a sign-in form, a period picker and empty
// sections that the page's script (browser/main.js, served from this gateway) fills with
// charts and tables. Its settings travel as JSON in a non-executable script element; the
// page runs no inline script and loads nothing from another origin (DASHBOARD_CSP).

export const DASHBOARD_PATH = '/dashboard';

/** Everything from this gateway only; no inline script or style, no frames, no plugins. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Reading the figures records nothing, but every request names a purpose; this one fits cooperation best. */
export const DEFAULT_PURPOSE = 'MUTUAL_LEGAL_ASSISTANCE';

export interface DashboardSettings {
  /** The demo partner's token, for a browser on this machine in development only. */
  token?: string;
  /** The agency nodes, in federation order: one section each, even for a node that is down. */
  agencies: string[];
}

export function dashboardPage(settings: DashboardSettings): string {
  const config = {
    endpoint: GRAPHQL_PATH,
    purposes: Object.keys(PURPOSES),
    purpose: DEFAULT_PURPOSE,
    agencies: settings.agencies,
    ...(settings.token ? { token: settings.token } : {}),
  };
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Cooperation dashboard: records federation</title>
<link rel="stylesheet" href="${DASHBOARD_PATH}/dashboard.css">
</head>
<body data-state="starting">
<header>
<h1>Cooperation dashboard</h1>
<button type="button" id="sign-out" hidden>Sign out</button>
</header>
<p id="starting">Loading the dashboard's script from this gateway. If this stays, reload the page; the figures are also in the GraphQL API (<code>cooperationReport</code>).</p>
<noscript><p>The dashboard needs JavaScript; the figures are also in the GraphQL API (<code>cooperationReport</code>).</p></noscript>
<section id="sign-in" aria-labelledby="sign-in-title" hidden>
<h2 id="sign-in-title">Sign in with a partner token</h2>
<form id="sign-in-form" novalidate>
<label for="token">Partner token (JWT)</label>
<textarea id="token" name="token" rows="4" autocomplete="off" spellcheck="false"></textarea>
<label for="purpose">Purpose (X-Purpose)</label>
<select id="purpose" name="purpose"></select>
<button type="submit">Sign in</button>
</form>
<p id="sign-in-error" class="error" role="alert"></p>
</section>
<main id="dashboard" hidden>
<form id="period-form" aria-label="Period">
<label for="from">From</label> <input type="date" id="from" name="from">
<label for="to">To</label> <input type="date" id="to" name="to">
<button type="submit">Show</button>
<button type="button" id="last-12-months">Last 12 months</button>
</form>
<p id="period-shown" aria-live="polite"></p>
<ul id="errors" class="error" role="alert"></ul>
<section id="federation" aria-labelledby="federation-title">
<h2 id="federation-title">Across the federation</h2>
<div class="figures"></div>
</section>
<div id="agencies"></div>
</main>
<script id="dashboard-config" type="application/json">${json}</script>
<script src="${DASHBOARD_PATH}/dashboard.js"></script>
</body>
</html>
`;
}
