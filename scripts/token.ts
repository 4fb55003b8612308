import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROLES, type Role } from '../lib/auth/caller.js';
import { ensureDevIssuer, mintToken } from '../lib/auth/dev-issuer.js';
import { loadConfig } from '../lib/config/index.js';
import { parseCommandLine, runCommand, UsageError } from './command-line.js';

// `npm run token -- --agency TH-RTP --circles MEKONG,ASEAN --roles officer [--sub NAME] [--ttl 1h]`
// prints one development token on stdout and nothing else.

const command = {
  name: 'token',
  usage: '--agency CODE [--circles A,B] [--roles officer,reviewer,auditor] [--sub NAME] [--ttl 1h]',
  summary:
    'Prints a development partner token, signed by the local dev issuer that `npm start` makes in DATA_DIR, on\n' +
    'stdout and nothing else. Exit 0 when printed, 1 otherwise (e.g. no dev issuer in DATA_DIR: nothing is created).',
  options: {
    agency: { type: 'string' },
    circles: { type: 'string' },
    roles: { type: 'string', default: 'officer' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '1h' },
  },
  help: [
    ['--agency CODE', 'the partner agency the token speaks for (one the directory lists)'],
    ['--circles A,B', 'its trust circles (default: those the directory gives it)'],
    ['--roles R,S', `some of ${ROLES.join(', ')} (default officer)`],
    ['--sub NAME', 'the subject (default <agency>-<first role>)'],
    ['--ttl SPAN', 'how long it is valid: 3600, 30m, 1h or 7d (default 1h)'],
  ],
  environment: [
    ['DATA_DIR', "where `npm start` keeps the dev issuer's keys (default ./data)"],
    ['FEDERATION_CONFIG', 'the federation config, for the audience (default federation.json)'],
  ],
  example: 'npm run -s token -- --agency TH-RTP --circles MEKONG,ASEAN --roles officer',
} as const satisfies Parameters<typeof parseCommandLine>[0];

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  const agency = values.agency;
  if (!agency) throw new UsageError('--agency is required');
  const { directory, federation } = loadConfig();
  if (!directory.hasAgency(agency)) {
    throw new Error(`unknown agency "${agency}"; the directory lists ${directory.agencies.map((a) => a.code).join(', ')}`);
  }
  const circles = values.circles === undefined ? directory.circlesOf(agency) : list(values.circles);
  const roles = list(values.roles);
  const unknownRoles = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (roles.length === 0 || unknownRoles.length > 0) throw new UsageError(`--roles must be some of ${ROLES.join(', ')}`);
  if (!/^\d+[smhd]?$/.test(values.ttl)) throw new UsageError('--ttl must look like 3600, 30m, 1h or 7d');
  // A token from a key made here, in a mistyped DATA_DIR, would be trusted by no node.
  const key = path.join(federation.dataDir, 'dev-issuer', 'private.jwk.json');
  if (!existsSync(key)) {
    throw new Error(`no development token issuer at ${key}: check DATA_DIR, or run \`npm start\` once (it makes the issuer's keys)`);
  }
  const issuer = await ensureDevIssuer(federation.dataDir);
  const token = await mintToken(issuer, {
    agency,
    circles,
    roles: roles as Role[],
    sub: values.sub ?? `${agency.toLowerCase()}-${roles[0]}`,
    ttl: /^\d+$/.test(values.ttl) ? Number(values.ttl) : values.ttl,
    audience: federation.trust.audience,
  });
  process.stdout.write(`${token}\n`);
});

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
