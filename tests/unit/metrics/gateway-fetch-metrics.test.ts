import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import getPort from 'get-port';
import type { GraphQLFormattedError } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCY_FAILURE_REASONS, HttpAgencyClient } from '../../../gateway/datasources/agency-client.js';
import type { AgencyFetch } from '../../../gateway/datasources/fetch-metrics.js';
import { listRootFields } from '../../../gateway/datasources/list-fields.js';
import { SovereignDataSource } from '../../../gateway/datasources/sovereign-data-source.js';
import { readSdl } from '../../../schema/supergraph.js';
import { scrapeThisProcess, valueOf } from '../../helpers/prometheus.js';

// The gateway's view of each node, over real HTTP: one node answers, the others fail in
// each way the agency client can tell apart. Every call is timed and counted by agency and
// outcome, each failure counted by reason, and every call is listed on the request's context.

const TIMEOUT_MS = 300;

type Handler = http.RequestListener;

const answers: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ data: { notices: [{ id: 'INTERPOL:N-1' }] } }));
};
const neverAnswers: Handler = () => undefined;
const proxyError: Handler = (_req, res) => {
  res.writeHead(502, { 'content-type': 'text/html' });
  res.end('<html><body>502 Bad Gateway</body></html>');
};
const notGraphQL: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ hello: 'world' }));
};

const servers: (http.Server | https.Server)[] = [];
let tmp: string;

async function listen(server: http.Server | https.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The certificate case needs a self-signed certificate, made with openssl when the machine has it. */
function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const OPENSSL = hasOpenssl();

let clients: HttpAgencyClient[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'fetch-metrics-'));
  const url = async (handler: Handler) => `http://127.0.0.1:${await listen(http.createServer(handler))}/`;
  clients = [
    new HttpAgencyClient('INTERPOL', await url(answers)),
    new HttpAgencyClient('EUROPOL', await url(neverAnswers)),
    // A free port nobody listens on.
    new HttpAgencyClient('ASEANAPOL', `http://127.0.0.1:${await getPort()}/`),
    new HttpAgencyClient('LMLECC', await url(proxyError)),
    new HttpAgencyClient('AFRIPOL', await url(notGraphQL)),
  ];
  if (OPENSSL) {
    const key = path.join(tmp, 'key.pem');
    const cert = path.join(tmp, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'],
      {
        stdio: 'ignore',
      },
    );
    const server = https.createServer({ key: await readFile(key), cert: await readFile(cert) }, answers);
    clients.push(new HttpAgencyClient('GCCPOL', `https://localhost:${await listen(server)}/`));
  }
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await rm(tmp, { recursive: true, force: true });
});

async function broadcast(context: Record<string, unknown>) {
  const source = new SovereignDataSource({
    clients,
    listFields: listRootFields(readSdl('records')),
    timeoutMs: TIMEOUT_MS,
    logger: pino({ level: 'silent' }),
  });
  return (await source.process({
    request: { query: '{ notices { id } }', variables: {} },
    context,
    kind: 'incoming operation',
  } as unknown as GraphQLDataSourceProcessOptions)) as { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[] };
}

const EXPECTED: Record<string, string> = {
  INTERPOL: 'ok',
  EUROPOL: 'timeout',
  ASEANAPOL: 'unreachable',
  LMLECC: 'http_error',
  AFRIPOL: 'bad_response',
  GCCPOL: 'certificate_refused',
};

describe('gateway fetch metrics', () => {
  it('times and counts each call by agency and outcome, each failure by reason, and lists them on the context', async () => {
    const before = await scrapeThisProcess();
    const context = { fetches: [] as AgencyFetch[] };
    const result = await broadcast(context);
    const after = await scrapeThisProcess();
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);

    const expected = Object.fromEntries(clients.map((client) => [client.agency, EXPECTED[client.agency]!]));
    expect(Object.fromEntries(context.fetches.map((fetch) => [fetch.agency, fetch.outcome]))).toEqual(expected);
    for (const fetch of context.fetches) expect(fetch.ms).toBeGreaterThanOrEqual(0);
    expect(context.fetches.find((fetch) => fetch.agency === 'EUROPOL')!.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);

    for (const [agency, outcome] of Object.entries(expected)) {
      expect(delta('gateway_agency_fetch_duration_seconds_count', { agency, outcome }), `${agency} ${outcome}`).toBe(1);
      expect(delta('gateway_agency_fetch_failures_total', { agency }), agency).toBe(outcome === 'ok' ? 0 : 1);
      if (outcome !== 'ok') expect(delta('gateway_agency_fetch_failures_total', { agency, reason: outcome }), agency).toBe(1);
    }
    // The answer itself: the one node's records, one AGENCY_UNAVAILABLE per failed node, no URL.
    expect(result.data).toEqual({ notices: [{ id: 'INTERPOL:N-1' }] });
    const unavailable = (result.errors ?? []).map((error) => error.extensions?.agency);
    expect(unavailable.sort()).toEqual(
      Object.keys(expected)
        .filter((agency) => agency !== 'INTERPOL')
        .sort(),
    );
    expect(JSON.stringify(result.errors)).not.toMatch(/127\.0\.0\.1|localhost|http:/);
  });

  it('starts every failure series at zero, so the first failure shows in increase()', async () => {
    await broadcast({});
    const samples = await scrapeThisProcess();
    const interpol = samples.filter((s) => s.name === 'gateway_agency_fetch_failures_total' && s.labels.agency === 'INTERPOL');
    expect(interpol.map((s) => s.labels.reason).sort()).toEqual([...AGENCY_FAILURE_REASONS].sort());
    expect(interpol.every((s) => s.value === 0)).toBe(true);
  });
});
