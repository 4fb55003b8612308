import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesUnder, linesOf, makeTempDir, runCommand } from './commands.js';

// Every command answers --help (usage, options, an example; exit 0) and refuses an option it
// does not know with one line pointing to --help (exit 2), before doing anything else.

const COMMANDS = [
  'token',
  'store:copy',
  'store:load',
  'conformance',
  'seed',
  'import:un',
  'audit:verify',
  'eval:screening',
  'bench:screening',
  'bench',
  'bench:attacks',
  'bench:tls',
  'bench:soak',
  'healthcheck',
  'start',
];

/** A wrong command line exits 2, except in the health check: Docker reserves 2, so any failure there is 1. */
const usageExit = (command: string) => (command === 'healthcheck' ? 1 : 2);

const invocation = (command: string) => (command === 'start' ? 'npm start' : `npm run ${command}`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let dataDir: string;

// A data directory of its own: were a command to start working, it would not touch ./data.
beforeAll(async () => {
  dataDir = await makeTempDir('help');
});

afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe.each(COMMANDS)('%s', (command) => {
  it('prints its usage, options and an example for --help, and exits 0', async () => {
    const run = await runCommand(command, ['--help'], { DATA_DIR: dataDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^usage: ${escape(invocation(command))}\\b`));
    expect(run.stdout).toContain('\noptions:\n');
    expect(run.stdout).toContain('  -h, --help');
    expect(run.stdout).toMatch(/\nexample:\n {2}\S/);
    expect(entriesUnder(dataDir)).toEqual([]);
  });

  it('refuses an unknown option with one line that points to --help, and exits 2 (1 for the health check)', async () => {
    const run = await runCommand(command, ['--no-such-option'], { DATA_DIR: dataDir });
    expect(run.code).toBe(usageExit(command));
    expect(run.stdout).toBe('');
    expect(linesOf(run.stderr)).toEqual([`${command}: unknown option '--no-such-option' (see ${invocation(command)} -- --help)`]);
    expect(entriesUnder(dataDir)).toEqual([]);
  });
});
