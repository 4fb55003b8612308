import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config/project-root.js';

// Rules of the code's shape that a reviewer would otherwise have to remember.

/** Every TypeScript file under `folder` (relative to the project root), as relative paths. */
function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name)))
    .sort();
}

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

describe('the environment', () => {
  // The one reader of process.env; no exceptions: even the launcher's child processes get
  // their environment from there (childEnvironment). tests/ may set up their own.
  const ENVIRONMENT_READER = 'lib/config/env.ts';

  it('is read only in lib/config/env.ts', () => {
    const files = ['gateway', 'subgraphs', 'lib', 'scripts', 'bench', 'conformance'].flatMap(sourceFiles);
    expect(files).toContain(ENVIRONMENT_READER);
    const readers = files.filter((file) => file !== ENVIRONMENT_READER && /process\.env\b/.test(read(file)));
    expect(readers, 'read the variable in lib/config/env.ts and pass the value in').toEqual([]);
  });
});

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm),
  ];
  return specifiers.map((match) => match[1] ?? match[2] ?? match[3]!);
}

/** "<file> imports <target>" for each project file under `folder` that imports something under a folder `forbidden` matches. */
function importsInto(folder: string, forbidden: RegExp): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(read(file))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, path.dirname(file), specifier)))
      .filter((target) => forbidden.test(target))
      .map((target) => `${file} imports ${target}`),
  );
}

describe('lib/', () => {
  it('depends on no subgraph and not on the gateway', () => {
    expect(importsInto('lib', /^(subgraphs|gateway)\//), 'shared code must not depend on the parts that use it').toEqual([]);
  });
});

describe('conformance/', () => {
  // The kit judges nodes by the contract alone: were it to borrow the node's policy or the
  // gateway's checks, a shared mistake would pass both.
  it("uses no node's and no gateway's code", () => {
    expect(importsInto('conformance', /^(subgraphs|gateway)\//), 'the kit holds nodes to the contract, not to this implementation').toEqual(
      [],
    );
  });
});
