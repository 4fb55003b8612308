import { prettyFactory } from 'pino-pretty';
import { DEV_ISSUER, ensureDevIssuer } from '../lib/auth/dev-issuer.js';
import { ConfigError, loadConfig } from '../lib/config/index.js';
import { Federation } from '../lib/launcher.js';

// `npm start`: the whole federation on this machine, each part its own process and store.

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
  federation = await Federation.start(config, {
    onLine: print,
    onExit(service, code) {
      console.error(`[${service}] exited with code ${code}`);
      if (service === 'gateway') void shutdown(1);
    },
  });
  console.log(
    `\nGateway ready at http://localhost:${config.gateway.port}/  (open it in a browser for Apollo Sandbox; Ctrl-C stops everything)`,
  );
  console.log('Make a partner token with: npm run token -- --agency TH-RTP --roles officer\n');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Cannot start the federation: ${(error as Error).message}`);
  await shutdown(1);
}
