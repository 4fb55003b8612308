import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TokenVerifier } from '../../lib/auth/verify.js';
import type { Service } from '../../lib/service.js';
import { readDataset } from '../../conformance/dataset/format.js';
import { CONFORMANCE_ISSUER, initIssuer, loadIssuer, type KitIssuer } from '../../conformance/issuer.js';
import { Kit } from '../../conformance/kit.js';
import { PROJECT_ROOT } from '../../lib/config/project-root.js';
import { conformanceRecords } from '../../subgraphs/agency/seed/conformance.js';
import { startAgencyNode } from '../../subgraphs/agency/server.js';
import { openStore } from '../../subgraphs/agency/store/open.js';
import { insertDataset } from '../../subgraphs/agency/store/writes.js';
import { createTestDatabase, type StoreKind, type TestDatabase } from './databases.js';
import { DEV_TRUST, inProcessNodeOptions, TEST_DIRECTORY } from './node.js';

// This project's agency node set up as a regional body would for a conformance run: its
// store holds the conformance data set (loaded as store:load does) and it trusts the kit's
// test issuer, made for the run.

export const DATASET_FILE = path.join(PROJECT_ROOT, 'conformance', 'dataset.json');

export interface ConformanceNode {
  url: string;
  agency: string;
  database: string;
  issuerDir: string;
  issuer: KitIssuer;
  kit(url?: string, options?: { production?: boolean }): Kit;
  stop(): Promise<void>;
}

export async function startConformanceNode(
  kind: StoreKind,
  agency = 'EUROPOL',
  options: { production?: boolean } = {},
): Promise<ConformanceNode> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'conformance-'));
  const issuerDir = path.join(dataDir, 'issuer');
  const { jwks } = await initIssuer(issuerDir);
  const database: TestDatabase = await createTestDatabase(kind, 'conformance');
  const dataset = readDataset(DATASET_FILE);
  const store = await openStore({ agency, database: database.database });
  try {
    await insertDataset(store, conformanceRecords(agency, dataset));
  } finally {
    await store.close();
  }
  const trust = { ...DEV_TRUST, issuers: [{ issuer: CONFORMANCE_ISSUER, jwks, agencies: '*' as const }] };
  const node: Service = await startAgencyNode(
    inProcessNodeOptions(dataDir, {
      agency,
      database: database.database,
      seedDemoData: false,
      verifier: new TokenVerifier(trust, dataDir, TEST_DIRECTORY),
      production: options.production === true,
    }),
  );
  const issuer = await loadIssuer(issuerDir);
  return {
    url: node.url,
    agency,
    database: database.database,
    issuerDir,
    issuer,
    kit: (url = node.url, kitOptions = {}) =>
      new Kit({
        url,
        agency,
        issuer,
        audience: DEV_TRUST.audience,
        directory: TEST_DIRECTORY,
        dataset,
        production: kitOptions.production ?? options.production === true,
      }),
    async stop() {
      await node.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
