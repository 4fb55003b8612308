import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { issueCertificate, type CertificateAuthority, type IssuedCertificate, type LeafRequest } from '../../../lib/tls/certificates.js';
import type { TlsFiles } from '../../../lib/tls/material.js';

// What the TLS tests share: a temp folder, certificates written as files, a logger whose
// lines the test reads, and waiting for something that happens on a timer.

export const DAY_MS = 24 * 60 * 60 * 1000;

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `tls-${prefix}-`));
}

/** Writes `<name>.crt` and `<name>.key` in `dir`; returns their paths. */
export function writePair(dir: string, name: string, pair: IssuedCertificate): { cert: string; key: string } {
  const files = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  writeFileSync(files.cert, pair.cert);
  writeFileSync(files.key, pair.key);
  return files;
}

/** Replaces a file the way a rotation does: written beside it, then renamed over it. */
export function replaceFile(file: string, text: string): void {
  const temporary = `${file}.next`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** A service's files: its pair, the CA bundle (and a partner CA bundle) written in `dir`. */
export function serviceFiles(
  dir: string,
  name: string,
  pair: IssuedCertificate,
  ca: readonly CertificateAuthority[],
  partnerCa?: readonly CertificateAuthority[],
): TlsFiles {
  const files: TlsFiles = { ...writePair(dir, name, pair), ca: path.join(dir, `${name}-ca.pem`) };
  writeFileSync(files.ca, ca.map((authority) => authority.cert).join(''));
  if (partnerCa) {
    files.partnerCa = path.join(dir, `${name}-partner-ca.pem`);
    writeFileSync(files.partnerCa, partnerCa.map((authority) => authority.cert).join(''));
  }
  return files;
}

/** A leaf for loopback (localhost, 127.0.0.1) unless other names are given. */
export function leaf(authority: CertificateAuthority, commonName: string, more: Partial<LeafRequest> = {}): Promise<IssuedCertificate> {
  return issueCertificate(authority, { commonName, names: ['localhost', '127.0.0.1'], ...more });
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger writing JSON lines into an array the test reads. */
export function capturedLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export const WARN = 40;

/** Resolves once `check` is true; rejects with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(25);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
