import { prettyFactory } from 'pino-pretty';
import { DEV_ISSUER, ensureDevIssuer } from '../lib/auth/dev-issuer.js';
import { ConfigError, loadConfig } from '../lib/config/index.js';
import { Federation } from '../lib/launcher.js';
import { ensureDevCertificates } from '../lib/tls/dev-ca.js';
import { invocation, parseCommandLine, UsageError } from './command-line.js';

// `npm start`: the whole federation on this machine, each part its own process and store.

const command = {
  name: 'start',
  usage: '',
  summary:
    'Starts the whole federation on this machine: the directory, every agency node of the federation config\n' +
    '(each its own process and store, created and seeded with demo data on first start) and the gateway.\n' +
    'Ctrl-C stops every process it started.',
  options: {},
  help: [],
  environment: [
    ['DATA_DIR', "the agencies' SQLite stores and the dev issuer's keys (default ./data)"],
    ['FEDERATION_CONFIG', 'the nodes, ports and trust (default federation.json)'],
    ['GATEWAY_PORT', 'the gateway port (default 4000)'],
    ['FEDERATION_TLS', 'true: every link on mutual TLS, with a dev CA and certificates made under DATA_DIR/tls'],
    ['LOG_LEVEL', 'pino log level (default info)'],
  ],
  example: 'DATA_DIR=/tmp/federation npm start',
} as const satisfies Parameters<typeof parseCommandLine>[0];

try {
  parseCommandLine(command);
} catch (error) {
  console.error(`start: ${(error as Error).message}${error instanceof UsageError ? ` (see ${invocation(command)} --help)` : ''}`);
  process.exit(2);
}

const pretty = prettyFactory({ colorize: process.stdout.isTTY, ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss' });

function print(service: string, line: string, stream: 'stdout' | 'stderr'): void {
  if (stream === 'stderr') {
    process.stderr.write(`[${service}] ${line}\n`);
    return;
  }
  let text = line;
  try {
    text = pretty(JSON.parse(line)).trimEnd();
  } catch {
    // Not a log record: print it as it came.
  }
  process.stdout.write(`[${service}] ${text}\n`);
}

let federation: Federation | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await federation?.stop();
  }
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

try {
  const config = loadConfig().federation;
  console.log(`Starting the federation (data in ${config.dataDir}) ...`);
  // The dev issuer's keys exist before any process loads its trust, so `npm run token` works at once.
  if (config.trust.issuers.some((issuer) => issuer.issuer === DEV_ISSUER)) await ensureDevIssuer(config.dataDir);
  // FEDERATION_TLS=true: the dev CA and every service's certificate, made or renewed before any service reads them.
  const made = await ensureDevCertificates(config);
  if (made.length > 0) console.log(`Made TLS certificates for ${made.join(', ')} (CA: ${config.tls!.ca})`);
  federation = await Federation.start(config, {
    onLine: print,
    onExit(service, code) {
      console.error(`[${service}] exited with code ${code}`);
      if (service === 'gateway') void shutdown(1);
    },
  });
  const scheme = config.tls ? 'https' : 'http';
  console.log(
    `\nGateway ready at ${scheme}://localhost:${config.gateway.port}/  (open it in a browser for Apollo Sandbox; Ctrl-C stops everything)`,
  );
  if (config.tls)
    console.log(`Every link runs on mutual TLS; clients trust the CA in ${config.tls.ca} (curl --cacert ${config.tls.ca} ...)`);
  console.log('Make a partner token with: npm run token -- --agency TH-RTP --roles officer\n');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Cannot start the federation: ${(error as Error).message}`);
  await shutdown(1);
}
