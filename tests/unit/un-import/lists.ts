import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../lib/config/project-root.js';

// The shipped UN list (a real copy of 2024-09-26) and the variants the suites import:
// a newer list with one entry gone, one changed and one new, and files that must be refused.

export const SHIPPED_LIST = path.join(PROJECT_ROOT, 'tests/fixtures/un/un-consolidated-2024-09-26.xml');

export const shippedXml = (): string => readFileSync(SHIPPED_LIST, 'utf8');

/** In the modified list: removed, changed (a designation) and added. */
export const MODIFIED = { removed: 'TAi.005', changed: 'TAi.007', added: 'QDi.999' } as const;
export const CHANGED_DESIGNATION = 'Minister of Agriculture under the Taliban regime (amended in a test)';

const ADDED_ENTRY = `<INDIVIDUAL>
            <DATAID>9990001</DATAID>
            <VERSIONNUM>1</VERSIONNUM>
            <FIRST_NAME>FIXTURE</FIRST_NAME>
            <SECOND_NAME>ADDED PERSON</SECOND_NAME>
            <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
            <REFERENCE_NUMBER>${MODIFIED.added}</REFERENCE_NUMBER>
            <LISTED_ON>2024-10-01</LISTED_ON>
            <COMMENTS1>A synthetic entry, added by the test suite.</COMMENTS1>
            <LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE>
        </INDIVIDUAL>
        `;

/** The span of one entry (by reference number) in the list's text. */
function entrySpan(xml: string, reference: string, tag: 'INDIVIDUAL' | 'ENTITY' = 'INDIVIDUAL'): [number, number] {
  const at = xml.indexOf(`<REFERENCE_NUMBER>${reference}</REFERENCE_NUMBER>`);
  if (at < 0) throw new Error(`no entry ${reference} in the list`);
  return [xml.lastIndexOf(`<${tag}>`, at), xml.indexOf(`</${tag}>`, at) + `</${tag}>`.length];
}

/** The text of one entry, for tests that build small lists. */
export function entryXml(xml: string, reference: string, tag: 'INDIVIDUAL' | 'ENTITY' = 'INDIVIDUAL'): string {
  const [start, end] = entrySpan(xml, reference, tag);
  return xml.slice(start, end);
}

/** The list of a week later: one entry removed, one changed, one added. */
export function modifiedList(xml: string): string {
  const [start, end] = entrySpan(xml, MODIFIED.removed);
  let modified = xml.slice(0, start) + xml.slice(end);
  const [from, to] = entrySpan(modified, MODIFIED.changed);
  const changed = modified.slice(from, to).replace('Minister of Agriculture under the Taliban regime', CHANGED_DESIGNATION);
  modified = modified.slice(0, from) + changed + modified.slice(to);
  return modified
    .replace('</INDIVIDUALS>', `${ADDED_ENTRY}</INDIVIDUALS>`)
    .replace("dateGenerated='2024-09-26", "dateGenerated='2024-10-03");
}

/** The real list with a DTD that would expand one name a billion times (the "billion laughs"). */
export function entityBomb(xml: string): string {
  const levels = Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`);
  const dtd = `<!DOCTYPE CONSOLIDATED_LIST [\n  <!ENTITY lol0 "lol">\n${levels.join('\n')}\n]>\n`;
  return xml
    .replace('<CONSOLIDATED_LIST', `${dtd}<CONSOLIDATED_LIST`)
    .replace('<FIRST_NAME>MUHAMMAD</FIRST_NAME>', '<FIRST_NAME>&lol9;</FIRST_NAME>');
}

/** The real list with an external entity that would read a local file. */
export function externalEntity(xml: string): string {
  return xml
    .replace('<CONSOLIDATED_LIST', '<!DOCTYPE CONSOLIDATED_LIST [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n<CONSOLIDATED_LIST')
    .replace('<FIRST_NAME>MUHAMMAD</FIRST_NAME>', '<FIRST_NAME>&secret;</FIRST_NAME>');
}

export async function writeList(dir: string, name: string, xml: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, xml);
  return file;
}

export const makeTempDir = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'un-import-'));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run import:un` as users do (without npm): a real child process. */
export function runImportCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/import-un.ts'), ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
