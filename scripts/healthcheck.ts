import { toPort } from '../lib/config/federation-schema.js';
import { loadConfig, type Config } from '../lib/config/index.js';
import { isWellFormedAgencyCode } from '../lib/ids.js';
import { createLogger } from '../lib/logger.js';
import { oneLine } from '../lib/text.js';
import { federationLinks } from '../lib/tls/links.js';
import { serviceTls } from '../lib/tls/service-tls.js';
import { invocation, parseCommandLine, runCommand, UsageError } from './command-line.js';

// `node --import tsx scripts/healthcheck.ts <service>` (or `npm run -s healthcheck -- <service>`)
// The health check of one service, run beside it (in its container, with its environment):
// GET /ready on this machine, with the configuration the service itself loads and, on TLS,
// the service's own certificate as client certificate (nodes and the directory refuse a
// caller without one) and the federation's CA to check the answer's certificate.
// Exit 0 when ready, 1 for anything else (Docker reserves exit code 2 for its own use, so a
// wrong command line is 1 here too). It reads files and writes none: no store, no certificate.

const DEFAULT_TIMEOUT_MS = 2000;

const command = {
  name: 'healthcheck',
  usage: '<service> [--timeout MS]',
  summary:
    'Asks one service of the federation on this machine whether it is ready (GET /ready), with the configuration\n' +
    "the service loads and, on TLS, the service's own certificate as client certificate. Exit 0 when it answers\n" +
    'ready; 1 otherwise (not ready, unreachable, refused, too slow, a bad configuration or command line), with one\n' +
    'line on stderr. It writes nothing.',
  options: { timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_MS) } },
  help: [
    ['<service>', 'gateway, directory, or an agency code (INTERPOL or interpol); where AGENCY_CODE is set, that agency'],
    ['--timeout MS', `how long to wait for the answer, in milliseconds (default ${DEFAULT_TIMEOUT_MS})`],
  ],
  environment: [
    ['FEDERATION_CONFIG, DATA_DIR', "the service's configuration: ports, and on TLS the CA and certificates"],
    ['AGENCY_CODE', "the agency node this process's container runs: <service> must name it"],
    ['PORT', "the port of the directory or node, when not federation.json's (GATEWAY_PORT: the gateway's)"],
    ['HOST', 'where the service listens; 0.0.0.0, :: or 127.0.0.1 (the default) are asked at localhost'],
    ['TLS_CERT_FILE, TLS_KEY_FILE', "the service's certificate and key, when not in the tls.certificates folder"],
  ],
  positionals: ['service'],
  example: 'AGENCY_CODE=INTERPOL PORT=4101 node --import tsx scripts/healthcheck.ts interpol',
} as const satisfies Parameters<typeof parseCommandLine>[0];

/** A wrong command line: exit 1 like any other failure, with the pointer to --help. */
const usage = (message: string) => new Error(`${message} (see ${invocation(command)} --help)`);

runCommand(command, async () => {
  let parsed;
  try {
    parsed = parseCommandLine(command);
  } catch (error) {
    throw error instanceof UsageError ? usage(error.message) : error;
  }
  const timeoutMs = Number(parsed.values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw usage('--timeout must be a number of milliseconds from 1 to 60000');
  }
  const config = loadConfig();
  const { service, port } = targetOf(config, parsed.positionals[0]!);
  const url = `${config.federation.tls ? 'https' : 'http'}://${hostToAsk(config.http.host)}:${port}/ready`;
  // The certificate files are read once: nothing is watched, logged or written.
  const tls = serviceTls(config, service, createLogger('healthcheck', 'silent'));
  const links = federationLinks(tls);
  let answer: { ok: boolean; status: number; body: string };
  try {
    const response = await links.fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    answer = { ok: response.ok, status: response.status, body: await response.text() };
  } catch (error) {
    throw new Error(describeFailure(error as Error, service, url, timeoutMs), { cause: error });
  } finally {
    tls?.stop();
    await links.close().catch(() => {});
  }
  if (!answer.ok) throw new Error(`${service} at ${url} is not ready: ${answer.status} ${checksOf(answer.body)}`);
  console.log(`${service} is ready at ${url}`);
  return 0;
});

interface Target {
  /** gateway, directory or the agency code: whose configuration and certificate. */
  service: string;
  port: number;
}

/** The service this check is about, and the port it listens on as it would work it out itself. */
function targetOf(config: Config, name: string): Target {
  const { federation, service } = config;
  const wanted = name.toLowerCase();
  const agency = service.agencyCode;
  // In a node's container the check is about that node: another name is a copy-paste slip.
  if (agency && wanted !== agency.toLowerCase()) {
    throw usage(`<service> is "${name}", but this process runs the node of ${agency} (AGENCY_CODE)`);
  }
  // The gateway listens on gateway.port (GATEWAY_PORT); the directory and nodes on PORT when it is set.
  if (wanted === 'gateway') return { service: 'gateway', port: federation.gateway.port };
  if (wanted === 'directory') return { service: 'directory', port: portOf(service.port, federation.directory.port) };
  const node = federation.agencies.find((entry) => entry.code.toLowerCase() === wanted);
  if (node) return { service: node.code, port: portOf(service.port, node.port) };
  // A node outside the federation config (AGENCY_CODE with PORT and its own database).
  if (agency && isWellFormedAgencyCode(agency) && service.port) return { service: agency, port: portOf(service.port) };
  const known = ['gateway', 'directory', ...federation.agencies.map((entry) => entry.code.toLowerCase())];
  throw usage(`<service> must be one of ${known.join(', ')}, not "${oneLine(name, 40)}"`);
}

function portOf(fromEnvironment: string | undefined, fromConfig?: number): number {
  if (fromEnvironment === undefined) return fromConfig!;
  // The same reading of a port as the services' own (lib/config/federation-schema.ts); 0 is no port to ask.
  const port = toPort(fromEnvironment.trim() === '' ? undefined : fromEnvironment);
  if (!port) {
    throw new Error(`PORT must be a port number (1-65535), not ${JSON.stringify(oneLine(fromEnvironment, 40))}`);
  }
  return port;
}

/**
 * Where to ask: a service listening on every address or on the loopback is asked at localhost
 * (a name every service's certificate carries); one bound to a single address, there.
 */
function hostToAsk(host: string): string {
  if (['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * What an answer other than ready says, on one short line: the checks of a /ready answer
 * ({"status":"unready","checks":{"store":"..."}}), or the first error of a refusal (a 403 for a certificate).
 */
function checksOf(body: string): string {
  try {
    const { checks, errors } = JSON.parse(body) as { checks?: unknown; errors?: { message?: unknown }[] };
    if (checks && typeof checks === 'object') return oneLine(JSON.stringify(checks), 300);
    const message = Array.isArray(errors) ? errors[0]?.message : undefined;
    if (typeof message === 'string') return oneLine(message, 300);
  } catch {
    // Not the services' JSON: quoted as it is, below.
  }
  return oneLine(body, 200) || '(empty answer)';
}

/** One line saying why no ready answer came: too slow, nobody listening, a refused handshake... */
function describeFailure(error: Error, service: string, url: string, timeoutMs: number): string {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `${service} at ${url} did not answer within ${timeoutMs} ms`;
  if (!(error instanceof TypeError)) return error.message;
  // fetch says "fetch failed"; the cause says why (ECONNREFUSED, a certificate refused, ...).
  const cause = error.cause as (Error & { code?: string }) | undefined;
  const detail = cause ? [cause.code, cause.message].filter(Boolean).join(': ') : error.message;
  return `${service} at ${url} is unreachable: ${oneLine(detail, 300)}`;
}
