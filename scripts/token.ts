import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../lib/auth/caller.js';
import { ensureDevIssuer, mintToken } from '../lib/auth/dev-issuer.js';
import { loadConfig } from '../lib/config/index.js';

// `npm run token -- --agency TH-RTP --circles MEKONG,ASEAN --roles officer [--sub NAME] [--ttl 1h]`
// prints one development token on stdout and nothing else.

const usage = 'usage: npm run token -- --agency CODE [--circles A,B] [--roles officer,reviewer,auditor] [--sub NAME] [--ttl 1h]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string' },
      circles: { type: 'string' },
      roles: { type: 'string', default: 'officer' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
    strict: true,
  });
  const agency = values.agency;
  if (!agency) throw new Error(`--agency is required. ${usage}`);
  const { directory, federation } = loadConfig();
  if (!directory.hasAgency(agency)) {
    throw new Error(`unknown agency "${agency}"; the directory lists ${directory.agencies.map((a) => a.code).join(', ')}`);
  }
  const circles = values.circles === undefined ? directory.circlesOf(agency) : list(values.circles);
  const roles = list(values.roles);
  const unknownRoles = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (roles.length === 0 || unknownRoles.length > 0) throw new Error(`--roles must be some of ${ROLES.join(', ')}`);
  if (!/^\d+[smhd]?$/.test(values.ttl)) throw new Error('--ttl must look like 3600, 30m, 1h or 7d');
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
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

main().catch((error: Error) => {
  process.stderr.write(`token: ${error.message}\n`);
  process.exit(1);
});
