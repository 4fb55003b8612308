import path from 'node:path';
import { pino } from 'pino';
import { configFrom, readEnvironment, type Config } from '../lib/config/index.js';
import { isWellFormedAgencyCode } from '../lib/ids.js';
import { federationLinks, PLAIN_LINKS, type Links } from '../lib/tls/links.js';
import { serviceTls } from '../lib/tls/service-tls.js';
import { AuditLedger } from '../subgraphs/agency/store/audit.js';
import { describeDatabase, openStore } from '../subgraphs/agency/store/open.js';
import { WitnessRecords } from '../subgraphs/agency/store/witnessing.js';
import { AuditKeys, defaultSigningKeyFile, readSigningKey } from '../subgraphs/agency/witness/keys.js';
import { verifyLedger, type FullVerification, type WitnessPanel } from '../subgraphs/agency/witness/verify.js';
import { witnessPanel } from '../subgraphs/agency/witness/witnessing.js';
import { STORE_ENVIRONMENT, storeOfAgency } from './agency-store.js';
import { parseCommandLine, runCommand, UsageError } from './command-line.js';

// `npm run audit:verify -- --agency CODE [--database <file or postgres URL>] [--offline]`
// Walks the agency's ledger hash chain and compares it with the heads the other agencies'
// nodes countersigned (docs/audit.md): every receipt the store holds, and the latest head
// each reachable witness holds, asked directly with the node's own audit key (and, on TLS,
// its certificate). Exits 1 when the chain is broken or contradicts a witness, naming the
// first bad or contradicted sequence. It only reads: no store and no key is ever created (exit 2).

const command = {
  name: 'audit:verify',
  usage: '--agency CODE [--database <sqlite file | postgres URL>] [--offline]',
  summary:
    "Verifies an agency's audit ledger: its hash chain, and what the other agencies' nodes countersigned of it.\n" +
    'Exit 0 when it holds, 1 when it is broken or contradicts a witness, 2 when it cannot be checked.',
  options: { agency: { type: 'string' }, database: { type: 'string' }, offline: { type: 'boolean' } },
  help: [
    ['--agency CODE', 'the agency whose ledger to verify'],
    ['--database <file | URL>', 'its store, when not the one its node uses (see environment)'],
    ['--offline', 'do not ask the witnesses: check the chain and the receipts the store holds'],
  ],
  environment: [
    ...STORE_ENVIRONMENT,
    [
      'AUDIT_SIGNING_KEY_FILE',
      "the node's audit signing key, to ask its witnesses (default DATA_DIR/audit-keys/<agency>.private.jwk.json)",
    ],
  ],
  example: 'npm run audit:verify -- --agency EUROPOL',
} as const satisfies Parameters<typeof parseCommandLine>[0];

runCommand(
  command,
  async () => {
    const { values } = parseCommandLine(command);
    if (!values.agency) throw new UsageError('--agency is required');
    if (!isWellFormedAgencyCode(values.agency))
      throw new UsageError(`--agency must be an agency code such as EUROPOL, not "${values.agency}"`);
    const agency = values.agency;
    const database = storeOfAgency(agency, values.database, 'pass --database <sqlite file | postgres URL>');
    const config = configFrom(readEnvironment());
    const witnesses = values.offline ? undefined : await panelOf(config, agency);
    const store = await openStore({ agency, database, mustExist: true, applicationName: command.name });
    try {
      const keys = AuditKeys.of(config.federation.agencies);
      const result = await verifyLedger(agency, new AuditLedger(store), new WitnessRecords(store), keys, witnesses?.panel);
      return report(agency, result, describeDatabase(database), witnesses?.note);
    } finally {
      await store.close();
      await witnesses?.links.close();
    }
  },
  2,
);

/** Who to ask and how: the node's own key and certificate; a note instead when they are missing. */
async function panelOf(config: Config, agency: string): Promise<{ panel?: WitnessPanel; links: Links; note?: string }> {
  const file = config.service.auditSigningKeyFile ?? defaultSigningKeyFile(config.federation.dataDir, agency);
  const signer = await readSigningKey(agency, file);
  if (!signer) return { links: PLAIN_LINKS, note: `witnesses not asked: no audit signing key at ${path.resolve(file)}` };
  const tls = serviceTls(config, agency, pino({ level: 'silent' }));
  const links = federationLinks(tls);
  return { panel: witnessPanel(signer, config.federation, links.fetch), links };
}

function report(agency: string, result: FullVerification, where: string, note: string | undefined): number {
  const { witnessed } = result;
  for (const status of witnessed.witnesses) {
    const holds =
      status.sequence === null ? 'holds no head of it' : `holds sequence ${status.sequence} (countersigned ${status.countersignedAt})`;
    const refused = status.contradictionsRecorded
      ? `, and recorded ${status.contradictionsRecorded} contradicting head(s) from this ledger`
      : '';
    console.log(status.reachable ? `witness ${status.witness}: ${holds}${refused}` : `witness ${status.witness}: ${status.problem}`);
  }
  if (note) console.log(note);
  if (witnessed.receiptsUnverified > 0)
    console.log(`${witnessed.receiptsUnverified} receipt(s) in the store do not verify and were not used`);
  if (result.firstBadSequence !== null) {
    console.error(
      `${agency} audit ledger is BROKEN at sequence ${result.firstBadSequence} of ${result.length} entries (${where}): ` +
        'that entry was changed, removed or moved, or the chain before it was.',
    );
    return 1;
  }
  const contradiction = witnessed.contradiction;
  if (contradiction) {
    const agreed =
      contradiction.lastAgreedSequence === null
        ? ''
        : ` (it still agrees with what was witnessed at sequence ${contradiction.lastAgreedSequence})`;
    const what =
      contradiction.kind === 'SHORTENED'
        ? `ends at sequence ${result.length}, before sequence ${contradiction.sequence}`
        : `differs at sequence ${contradiction.sequence}: entries up to it were rewritten`;
    console.error(
      `${agency} audit ledger CONTRADICTS its witnesses (${where}): it ${what}, which ${contradiction.witness} countersigned at ` +
        `${contradiction.countersignedAt}${agreed}.`,
    );
    return 1;
  }
  if (!witnessed.ok) {
    console.error(
      `${agency} audit ledger holds as a chain but CANNOT BE CONFIRMED by its witnesses (${where}): ` +
        "a receipt or a witness answer does not verify, or a witness recorded contradicting heads signed with this agency's key (see above).",
    );
    return 1;
  }
  const checked = `${witnessed.receiptsChecked} receipt(s) and ${witnessed.witnesses.filter((w) => w.sequence !== null).length} witness head(s) agree`;
  console.log(`${agency} audit ledger holds: ${result.length} entries, head ${result.head}; ${checked} (${where})`);
  return 0;
}
