import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import type { LogEvent } from 'kysely';
import { startAgencyNode } from '../subgraphs/agency/server.js';
import { inProcessNodeOptions } from '../tests/helpers/node.js';
import { postGraphQL, type TestFederation } from '../tests/helpers/federation.js';
import type { FloorStatement } from './floor.js';

// What the floor harness replays: for each scenario and each node it asks, the SQL one answer
// took there, recorded from a node serving a copy of that node's store (the same code, the
// same data) as the scenario's question is put to it directly. The ledger's own statements are
// left out: the floor appends its entry its own way.

export interface FloorScenario {
  name: string;
  query: string;
  agencies: readonly string[];
}

const LEDGER = /audit_ledger|^(begin|commit|rollback)/i;

/** A scenario's question as one node answers it: an agency's name is the directory's field, not the node's. */
export function nodeShareQuery(query: string): string {
  return query.replace(/agency \{ code name \}/g, 'agency { code }');
}

export async function recordFloorPlan(
  fed: TestFederation,
  scenarios: readonly FloorScenario[],
  dir: string,
  token: string,
): Promise<Record<string, Record<string, { database: string; statements: FloorStatement[] }>>> {
  const plans: Record<string, Record<string, { database: string; statements: FloorStatement[] }>> = {};
  const agencies = [...new Set(scenarios.flatMap((scenario) => scenario.agencies))];
  for (const agency of agencies) {
    const node = fed.config.federation.agencies.find((entry) => entry.code === agency)!;
    const copy = path.join(dir, `${agency.toLowerCase()}-floor.sqlite`);
    const source = new Database(node.database, { readonly: true });
    source.exec(`VACUUM INTO '${copy.replace(/'/g, "''")}'`);
    source.close();
    let recording: FloorStatement[] | undefined;
    const onQuery = (event: LogEvent) => {
      const { sql, parameters } = event.query;
      if (recording && !LEDGER.test(sql.trim())) recording.push({ sql, parameters: [...parameters] });
    };
    const started = await startAgencyNode(
      inProcessNodeOptions(fed.config.federation.dataDir, {
        agency,
        database: copy,
        seedDemoData: false,
        onQuery,
        logger: pino({ level: 'silent' }),
      }),
    );
    try {
      for (const scenario of scenarios.filter((entry) => entry.agencies.includes(agency))) {
        recording = [];
        const query = nodeShareQuery(scenario.query);
        const answer = await postGraphQL(
          started.url,
          query,
          {},
          { authorization: `Bearer ${token}`, 'x-purpose': 'CRIMINAL_INVESTIGATION' },
        );
        if (answer.errors) throw new Error(`${scenario.name} at ${agency}: ${answer.errors[0]!.message}`);
        (plans[scenario.name] ??= {})[agency] = { database: copy, statements: recording };
        recording = undefined;
      }
    } finally {
      await started.stop();
    }
  }
  return plans;
}
