import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { readEnvironment } from '../lib/config/env.js';
import { entryHash, GENESIS_HASH } from '../subgraphs/agency/store/audit.js';

// The floor a node's answer is measured against (issue 15): the same request's SQL, as the
// node ran it (recorded by bench/floor-plan.ts), replayed as raw prepared statements (rows read
// as arrays, the cheapest way) behind a bare node:http server, with what every answer must still
// cost: one ES256 token check, one audit entry appended and hash-chained in a transaction, and
// the rows written as JSON. No GraphQL, no policy module, no query builder. Started by
// bench/gateway.ts in its own process.
// POST /<scenario>/<AGENCY> runs that node's share; POST /<scenario>/all every node's in turn
// (the summed floor of a question asked of several nodes).

export interface FloorStatement {
  sql: string;
  parameters: unknown[];
}

export interface FloorPlan {
  port: number;
  issuer: string;
  audience: string;
  jwks: { keys: object[] };
  /** scenario → agency → its store (a copy) and the statements one answer took there. */
  scenarios: Record<string, Record<string, { database: string; statements: FloorStatement[] }>>;
}

const plan = JSON.parse(readFileSync(readEnvironment().bench.floorPlan!, 'utf8')) as FloorPlan;
const keys = createLocalJWKSet(plan.jwks as never);

class FloorStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly head;
  private readonly insert;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.head = this.db.prepare('select sequence, hash from audit_ledger order by sequence desc limit 1');
    this.insert = this.db.prepare(
      'insert into audit_ledger (sequence, recorded_at, event, caller_agency, caller_sub, purpose, operation, record_ids, disclosure, detail, previous_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Each statement's rows as arrays (the cheapest way better-sqlite3 reads them), and the local ids among them. */
  run(statements: FloorStatement[]): { rows: unknown[][]; ids: string[] } {
    const ids: string[] = [];
    const rows = statements.map(({ sql, parameters }) => {
      let statement = this.statements.get(sql);
      if (!statement) {
        statement = this.db.prepare(sql);
        if (statement.reader) statement.raw(true);
        this.statements.set(sql, statement);
      }
      if (!statement.reader) return [statement.run(...(parameters as never[]))];
      const read = statement.all(...(parameters as never[])) as unknown[][];
      const idColumn = this.idColumn(sql, statement);
      if (idColumn >= 0) for (const row of read) ids.push(String(row[idColumn]));
      return read;
    });
    return { rows, ids };
  }

  /** Each statement's `local_id` column: the last of that name, the one a row object would carry. */
  private readonly idColumns = new Map<string, number>();
  private idColumn(sql: string, statement: Database.Statement): number {
    let index = this.idColumns.get(sql);
    if (index === undefined) this.idColumns.set(sql, (index = statement.columns().findLastIndex((column) => column.name === 'local_id')));
    return index;
  }

  readonly append = (agency: string, sub: string, recordIds: string[]) =>
    this.db.transaction(() => {
      const head = this.head.get() as { sequence: number; hash: string } | undefined;
      const entry = {
        sequence: (head?.sequence ?? 0) + 1,
        recordedAt: new Date().toISOString(),
        event: 'DISCLOSURE' as const,
        callerAgency: agency,
        callerSub: sub,
        purpose: 'CRIMINAL_INVESTIGATION',
        operation: 'floor',
        recordIds,
        disclosure: 'FULL' as const,
        detail: null,
        previousHash: head?.hash ?? GENESIS_HASH,
      };
      const hash = entryHash(entry);
      this.insert.run(
        entry.sequence,
        entry.recordedAt,
        entry.event,
        entry.callerAgency,
        entry.callerSub,
        entry.purpose,
        entry.operation,
        JSON.stringify(recordIds),
        entry.disclosure,
        null,
        entry.previousHash,
        hash,
      );
    })();
}

const stores = new Map<string, FloorStore>();
const storeOf = (file: string) => stores.get(file) ?? stores.set(file, new FloorStore(file)).get(file)!;

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      try {
        const [, scenario, which] = (request.url ?? '').split('/');
        const shares = plan.scenarios[decodeURIComponent(scenario ?? '')] ?? {};
        const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
        const { payload } = await jwtVerify(token, keys, { issuer: plan.issuer, audience: plan.audience, algorithms: ['ES256'] });
        const answers: Record<string, unknown[][]> = {};
        for (const [agency, share] of Object.entries(shares)) {
          if (which !== 'all' && which !== agency) continue;
          const store = storeOf(share.database);
          const { rows, ids } = store.run(share.statements);
          store.append(
            String(payload.agency),
            String(payload.sub),
            ids.map((id) => `${agency}:${id}`),
          );
          answers[agency] = rows;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: answers }));
      } catch (error) {
        response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
      }
    })();
  });
}).listen(plan.port, '127.0.0.1', () => process.send?.({ type: 'ready', url: `http://127.0.0.1:${plan.port}/` }));
