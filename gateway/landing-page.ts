import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { FastifyRequest } from 'fastify';
import { DEV_ISSUER, ensureDevIssuer, mintToken } from '../lib/auth/dev-issuer.js';
import type { Config } from '../lib/config/index.js';
import { GRAPHQL_PATH } from '../lib/http/serve.js';
import { explorerPage } from './explorer.js';

// The page browsers get at the gateway's URL (docs/explorer.md): the gateway's own explorer
// (explorer.ts, works with no internet), Apollo Sandbox where configured (it loads from
// Apollo's sites), or nothing: unset, the explorer in development and nothing in production.
// In development a browser on this machine gets it with a demo partner's token pre-filled
// (TH-RTP, officer, from the dev issuer); anyone else gets it without one: a development
// token is a working credential, and it must not be handed to a network. "On this machine" means both ends are loopback: the connection
// comes from a loopback address AND the browser asked for a loopback host name, so a page
// of another site that resolves its name to 127.0.0.1 (DNS rebinding) gets no token either.

const EXAMPLE_QUERY = `# Every agency node answers for its own records, at the level its owner decides.
query OneQuestionAcrossAllStores {
  notices(first: 5, filter: { colours: [RED, YELLOW, DIFFUSION] }) {
    id colour disclosure tlp handling
    agency { code name }
    title(lang: "th") { text language original }
    subject { id names { full script } }
  }
  cases(first: 5, filter: { crimeTypes: [TELECOM_FRAUD] }) {
    id reference disclosure agency { code } subjects { id names { full } }
  }
}
`;

const PURPOSE_HEADER = { 'X-Purpose': 'CRIMINAL_INVESTIGATION' };
/** A page's token lives an hour; pages are rendered anew every few minutes. */
const TOKEN_TTL = '1h';
const RENDER_EVERY_MS = 5 * 60 * 1000;

export type ExplorerMode = 'local' | 'sandbox' | 'off';

/** What browsers get: as configured, else the local explorer, and in production nothing. */
export function explorerMode(config: Config): ExplorerMode {
  return config.federation.gateway.explorer ?? (config.production ? 'off' : 'local');
}

/** The landing page for a request; undefined when browsers get none (GraphQL only). */
export function landingPage(config: Config): ((request: FastifyRequest) => Promise<string | null>) | undefined {
  const mode = explorerMode(config);
  if (mode === 'off') return undefined;
  const render = mode === 'local' ? renderExplorer : renderSandbox;
  return pagePerBrowser(config, (token) => render(token ? { Authorization: `Bearer ${token}`, ...PURPOSE_HEADER } : PURPOSE_HEADER));
}

/**
 * A page for each request, rendered with the demo partner's token for a browser on this
 * machine in development only (see above), and without one for anyone else; the explorer's
 * and the dashboard's (gateway/dashboard/) rule, kept in one place.
 */
export function pagePerBrowser(
  config: Config,
  render: (token: string | undefined) => Promise<string>,
): (request: FastifyRequest) => Promise<string> {
  const withoutToken = cachedPage(async () => undefined, render);
  const withToken = devTokenAllowed(config) ? cachedPage(() => demoToken(config), render) : withoutToken;
  return async (request) => (isLocalBrowser(request) ? withToken() : withoutToken());
}

/** A development token only, never in production, and only where the dev issuer is trusted. */
function devTokenAllowed(config: Config): boolean {
  return !config.production && config.federation.trust.issuers.some((issuer) => issuer.issuer === DEV_ISSUER);
}

/** Headers a proxy or tunnel adds: behind one, a loopback connection may carry anyone's browser. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'];
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * A browser on this machine opening the page itself: a loopback connection, for a loopback
 * host name (not a page of another site resolving its name to 127.0.0.1), through no proxy
 * (which connects from loopback for everyone), and not fetched by a page of another origin
 * (CORS lets local development origins read answers: a token must not be one of them).
 */
export function isLocalBrowser(request: FastifyRequest): boolean {
  const { headers } = request;
  const address = request.socket.remoteAddress ?? '';
  const loopbackAddress = /^(127\.|::1$|::ffff:127\.)/.test(address);
  const host = (headers.host ?? '').toLowerCase();
  const hostName = host.replace(/:\d+$/, '');
  if (!loopbackAddress || !LOOPBACK_HOSTS.includes(hostName)) return false;
  if (PROXY_HEADERS.some((name) => headers[name] !== undefined)) return false;
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) return false;
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'none' || site === 'same-origin';
}

/** The demo partner's token (TH-RTP, officer), from the dev issuer, valid an hour. */
async function demoToken(config: Config): Promise<string> {
  const { federation, directory } = config;
  const issuer = await ensureDevIssuer(federation.dataDir);
  return mintToken(issuer, {
    agency: 'TH-RTP',
    circles: directory.circlesOf('TH-RTP'),
    roles: ['officer'],
    sub: 'sandbox-demo',
    ttl: TOKEN_TTL,
    audience: federation.trust.audience,
  });
}

/** A page made from `value` (e.g. a token), re-rendered every few minutes (a token lives an hour), once however many ask at that moment. */
function cachedPage<T>(value: () => Promise<T>, render: (value: T) => Promise<string>): () => Promise<string> {
  let rendered: { html: Promise<string>; at: number } | undefined;
  return () => {
    if (!rendered || Date.now() - rendered.at > RENDER_EVERY_MS) {
      const html = value().then(render);
      const attempt = { html, at: Date.now() };
      rendered = attempt;
      // A failed render is not kept: the next request tries again.
      html.catch(() => {
        if (rendered === attempt) rendered = undefined;
      });
    }
    return rendered.html;
  };
}

/** The gateway's own explorer, asking the gateway at its own path. */
async function renderExplorer(headers: Record<string, string>): Promise<string> {
  return explorerPage({ endpoint: GRAPHQL_PATH, headers, query: EXAMPLE_QUERY });
}

async function renderSandbox(sharedHeaders: Record<string, string>): Promise<string> {
  const plugin: ApolloServerPlugin<BaseContext> = ApolloServerPluginLandingPageLocalDefault({
    footer: false,
    document: EXAMPLE_QUERY,
    embed: { initialState: { sharedHeaders } },
  });
  // The plugin renders without looking at the server it is given.
  const listener = await plugin.serverWillStart!({} as never);
  const page = await listener!.renderLandingPage!();
  return typeof page.html === 'string' ? page.html : page.html();
}
