import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_ISSUER } from '../../../conformance/issuer.js';
import { issueCertificate, makeCertificateAuthority } from '../../../lib/tls/certificates.js';
import type { Report } from '../../../conformance/report.js';
import { startConformanceNode, type ConformanceNode } from '../../helpers/conformance-node.js';
import { startRogueProxy } from '../../helpers/rogue-proxy.js';
import { linesOf, makeTempDir, runCommand } from '../../unit/maintenance/commands.js';

// `npm run conformance` as an operator runs it: --init makes the issuer to trust, a run prints
// the table and writes the JSON report, the exit code says whether the node conforms.

describe('npm run conformance', () => {
  let node: ConformanceNode;
  let dir: string;
  beforeAll(async () => {
    [node, dir] = await Promise.all([startConformanceNode('sqlite', 'ASEANAPOL'), makeTempDir('conformance')]);
  });
  afterAll(async () => {
    await node?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('--init makes an issuer once, private key readable by its owner only, and says how to trust it', async () => {
    const issuer = path.join(dir, 'issuer');
    const run = await runCommand('conformance', ['--init', '--issuer', issuer]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`made the conformance issuer's keys in ${issuer}`);
    expect(run.stdout).toContain(JSON.stringify({ issuer: CONFORMANCE_ISSUER, jwks: path.join(issuer, 'jwks.json'), agencies: '*' }));
    const jwks = JSON.parse(readFileSync(path.join(issuer, 'jwks.json'), 'utf8')) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]!.d).toBeUndefined();
    expect(statSync(path.join(issuer, 'private.jwk.json')).mode & 0o077).toBe(0);
    const again = await runCommand('conformance', ['--init', '--issuer', issuer]);
    expect(again.stdout).toContain('kept the conformance issuer');
    expect(readFileSync(path.join(issuer, 'jwks.json'), 'utf8')).toBe(JSON.stringify(jwks, null, 2) + '\n');
  });

  it('passes a conforming node: the table, exit 0, and the same figures in --json', async () => {
    const json = path.join(dir, 'report.json');
    const run = await runCommand('conformance', ['--node', node.url, '--agency', 'ASEANAPOL', '--issuer', node.issuerDir, '--json', json]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('| identity.alg-none | Identity | pass |');
    expect(run.stdout).toContain('| disclosure.lists | Disclosure | pass |');
    expect(run.stdout).toMatch(/\d+ passed, 0 failed, 2 not run/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.failed).toBe(0);
    expect(report.agency).toBe('ASEANAPOL');
    expect(report.results.length).toBe(report.passed + report.notRun);
  });

  it('fails a node that answers with stack traces: exit 1, naming the check, the request and the contract', async () => {
    const proxy = await startRogueProxy(node.url, {
      answer: (answer) => {
        for (const error of answer.errors ?? []) error.message = `${String(error.message)}\n    at parse (/opt/records/lib/parser.js:12:7)`;
      },
    });
    try {
      const run = await runCommand('conformance', [
        '--node',
        proxy.url,
        '--agency',
        'ASEANAPOL',
        '--issuer',
        node.issuerDir,
        '--only',
        'hygiene.error-text',
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('| hygiene.error-text | Hygiene | **FAIL**');
      expect(run.stdout).toContain('## hygiene.error-text: failed');
      expect(run.stdout).toMatch(/the contract says: .* is refused without a stack frame/);
      expect(run.stdout).toContain('request: POST');
      // The report never shows a token.
      expect(run.stdout).not.toMatch(/Bearer ey/);
    } finally {
      await proxy.stop();
    }
  });

  it('says in one line that a node cannot be reached, exit 1', async () => {
    const proxy = await startRogueProxy(node.url, {});
    const url = proxy.url;
    await proxy.stop();
    const run = await runCommand('conformance', ['--node', url, '--agency', 'ASEANAPOL', '--issuer', node.issuerDir]);
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([`conformance: cannot reach the node at ${url}: ECONNREFUSED`]);
  });

  it('reaches a node on mutual TLS with --ca, --cert and --key, and not without its client certificate', async () => {
    const authority = await makeCertificateAuthority('Conformance test CA');
    const server = await issueCertificate(authority, { commonName: 'node', names: ['127.0.0.1'] });
    const client = await issueCertificate(authority, { commonName: 'conformance-kit', names: [] });
    for (const [name, pem] of Object.entries({ ca: authority.cert, cert: client.cert, key: client.key }))
      writeFileSync(path.join(dir, `${name}.pem`), pem);
    // TLS in front of the node, asking for a client certificate from the CA, as a federation node does.
    const front = https.createServer(
      { cert: server.cert, key: server.key, ca: authority.cert, requestCert: true, rejectUnauthorized: true },
      (incoming, outgoing) => {
        const forward = http.request(node.url, { method: incoming.method, headers: incoming.headers }, (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
        incoming.pipe(forward);
      },
    );
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(front.address() as AddressInfo).port}/`;
    try {
      const args = [
        '--node',
        url,
        '--agency',
        'ASEANAPOL',
        '--issuer',
        node.issuerDir,
        '--only',
        'identity.',
        '--ca',
        path.join(dir, 'ca.pem'),
      ];
      const run = await runCommand('conformance', [...args, '--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem')]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('| identity.valid-token | Identity | pass |');
      const refused = await runCommand('conformance', args);
      expect(refused.code).toBe(1);
      expect(linesOf(refused.stderr)).toEqual([expect.stringMatching(new RegExp(`^conformance: cannot reach the node at ${url}: `))]);
    } finally {
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });

  it('refuses a partner the directory does not list, or no such check, before asking the node anything (exit 2)', async () => {
    const unreachable = 'http://127.0.0.1:1/';
    const partner = await runCommand('conformance', [
      '--node',
      unreachable,
      '--agency',
      'ASEANAPOL',
      '--issuer',
      node.issuerDir,
      '--partners',
      'TH-RTP,XX-NOPE',
    ]);
    expect(partner.code).toBe(2);
    expect(linesOf(partner.stderr)).toEqual([expect.stringMatching(/the directory does not list partner agency XX-NOPE/)]);
    const only = await runCommand('conformance', [
      '--node',
      unreachable,
      '--agency',
      'ASEANAPOL',
      '--issuer',
      node.issuerDir,
      '--only',
      'nope',
    ]);
    expect(only.code).toBe(2);
    expect(linesOf(only.stderr)).toEqual([expect.stringMatching(/no check is named nope\.\.\.; the checks are contract\.composes, /)]);
  });

  it('refuses to run without an issuer, creating nothing', async () => {
    const missing = path.join(dir, 'no-issuer');
    const run = await runCommand('conformance', ['--node', node.url, '--agency', 'ASEANAPOL', '--issuer', missing]);
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain('--init');
    expect(existsSync(missing)).toBe(false);
  });

  it.each([
    [['--agency', 'ASEANAPOL'], /--node and --agency are required/],
    [['--node', 'not a url', '--agency', 'ASEANAPOL'], /--node must be a URL/],
    [['--node', 'http://127.0.0.1:1/', '--agency', 'aseanapol'], /--agency must be an agency code/],
  ])('refuses %j with one line (exit 2)', async (args, says) => {
    const run = await runCommand('conformance', args);
    expect(run.code).toBe(2);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(says)]);
  });
});
