import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDirectory } from '../lib/config/directory.js';
import { isWellFormedAgencyCode } from '../lib/ids.js';
import { parseCommandLine, runCommand, UsageError } from '../scripts/command-line.js';
import { CHECKS } from './checks/index.js';
import { readDataset } from './dataset/format.js';
import { CONFORMANCE_ISSUER, initIssuer, loadIssuer } from './issuer.js';
import type { ClientTls } from './client.js';
import { Kit, KitSetupError } from './kit.js';
import { renderReport, runConformance, withoutCredentials } from './report.js';

// `npm run conformance -- --node http://host:port --agency CODE`: runs the conformance kit
// against a running agency node, this project's or another implementation of the records
// contract, and reports each check (docs/conformance.md).

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const command = {
  name: 'conformance',
  usage:
    '--node URL --agency CODE [--issuer DIR] [--json FILE] [--production] [--partners A,B] [--only PREFIX] [--ca F] [--cert F --key F] | --init [--issuer DIR]',
  summary:
    "Checks that an agency node keeps the federation's promises (contract, identity, disclosure, sovereignty, audit,\n" +
    'hygiene) and prints a table; each failure shows the request, what came back and what the contract says.\n' +
    "The node must hold the conformance data set and trust the kit's issuer (--init makes it). Exit 0 when every\n" +
    'check that ran passed, 1 when one failed or the kit could not run, 2 for a wrong command line.',
  options: {
    node: { type: 'string' },
    agency: { type: 'string' },
    issuer: { type: 'string', default: 'conformance-issuer' },
    init: { type: 'boolean' },
    json: { type: 'string' },
    production: { type: 'boolean' },
    partners: { type: 'string' },
    only: { type: 'string' },
    dataset: { type: 'string', default: path.join(ROOT, 'conformance', 'dataset.json') },
    directory: { type: 'string', default: path.join(ROOT, 'subgraphs', 'directory', 'directory.json') },
    audience: { type: 'string', default: 'records-federation' },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
  help: [
    ['--node URL', "the node's GraphQL endpoint, e.g. http://127.0.0.1:4101/"],
    ['--agency CODE', 'the agency whose records the node serves (the data set was loaded as its records)'],
    ['--issuer DIR', "the kit's test issuer: its keys, made by --init (default ./conformance-issuer)"],
    ['--init', "make the test issuer's keys in --issuer DIR and print how to trust them; runs no check"],
    ['--json FILE', 'also write the report as JSON, to attach to a joining request'],
    ['--production', 'the node runs with production settings: introspection and suggestions must be off'],
    ['--partners A,B', 'the partner agencies of the disclosure matrix (default TH-RTP, DE-BKA, CN-MPS, FR-PN)'],
    ['--only PREFIX', 'run only the checks whose name starts with PREFIX, e.g. identity. or disclosure.lists'],
    ['--dataset FILE', 'the data set the node holds (default conformance/dataset.json)'],
    ['--directory FILE', "the federation's directory (default subgraphs/directory/directory.json)"],
    ['--audience AUD', 'the token audience the node expects (default records-federation)'],
    ['--ca FILE', 'for an https node: the CA certificate (PEM) its certificate is signed by'],
    ['--cert FILE, --key FILE', 'for a node on mutual TLS: the client certificate and key (PEM) the kit presents'],
  ],
  example: 'npm run conformance -- --node http://127.0.0.1:4102/ --agency EUROPOL --json europol-conformance.json',
} as const satisfies Parameters<typeof parseCommandLine>[0];

runCommand(command, async () => {
  const { values } = parseCommandLine(command);
  const issuerDir = path.resolve(values.issuer);
  if (values.init) {
    const { jwks, created } = await initIssuer(issuerDir);
    console.log(
      `${created ? 'made' : 'kept'} the conformance issuer's keys in ${issuerDir}.\n` +
        'Trust it on the node under test for the run only, e.g. in federation.json "trust.issuers":\n' +
        `  ${JSON.stringify({ issuer: CONFORMANCE_ISSUER, jwks, agencies: '*' })}\n` +
        'and take it out afterwards: anyone holding this folder can mint tokens the node accepts.',
    );
    return 0;
  }
  if (!values.node || !values.agency) throw new UsageError('--node and --agency are required (or --init)');
  let url: URL;
  try {
    url = new URL(values.node);
  } catch {
    throw new UsageError(`--node must be a URL such as http://127.0.0.1:4101/, not "${values.node}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--node must be an http or https URL, not "${values.node}"`);
  if (!isWellFormedAgencyCode(values.agency))
    throw new UsageError(`--agency must be an agency code such as EUROPOL, not "${values.agency}"`);
  const only = values.only;
  if (only && !CHECKS.some((check) => check.name.startsWith(only))) {
    throw new UsageError(`no check is named ${only}...; the checks are ${CHECKS.map((check) => check.name).join(', ')}`);
  }
  let kit: Kit;
  try {
    kit = new Kit({
      url: url.href,
      agency: values.agency,
      issuer: await loadIssuer(issuerDir),
      audience: values.audience,
      directory: loadDirectory(path.resolve(values.directory)),
      dataset: readDataset(path.resolve(values.dataset)),
      production: values.production === true,
      ...(values.ca || values.cert || values.key ? { tls: clientTls(values) } : {}),
      ...(values.partners
        ? {
            partners: values.partners
              .split(',')
              .map((code) => code.trim())
              .filter(Boolean),
          }
        : {}),
    });
  } catch (error) {
    if (error instanceof KitSetupError) throw new UsageError(error.message);
    throw error;
  }
  await reachable(kit);
  const report = await runConformance(kit, only);
  process.stdout.write(renderReport(report));
  if (values.json) writeFileSync(path.resolve(values.json), `${JSON.stringify(report, null, 2)}\n`);
  return report.failed > 0 ? 1 : 0;
});

/** One line, before any check runs, when the node cannot be reached at all (rather than every check failing alike). */
async function reachable(kit: Kit): Promise<void> {
  try {
    await kit.client.post('{ __typename }', undefined, {}, false);
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new Error(`cannot reach the node at ${withoutCredentials(kit.options.url)}: ${reason}`, { cause: error });
  }
}

function clientTls(values: { ca?: string; cert?: string; key?: string }): ClientTls {
  if (Boolean(values.cert) !== Boolean(values.key)) throw new UsageError('--cert and --key go together');
  const pem = (option: string, file: string | undefined) => {
    if (!file) return undefined;
    try {
      return readFileSync(path.resolve(file), 'utf8');
    } catch {
      throw new UsageError(`${option} ${file}: no such readable file`);
    }
  };
  return { ca: pem('--ca', values.ca), cert: pem('--cert', values.cert), key: pem('--key', values.key) };
}
