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
    const files = ['gateway', 'subgraphs', 'lib', 'scripts', 'bench'].flatMap(sourceFiles);
    expect(files).toContain(ENVIRONMENT_READER);
    const readers = files.filter((file) => file !== ENVIRONMENT_READER && /process\.env\b/.test(read(file)));
    expect(readers, 'read the variable in lib/config/env.ts and pass the value in').toEqual([]);
  });
});

describe('lib/', () => {
  /** Module specifiers of static imports, re-exports and dynamic imports. */
  function importsOf(source: string): string[] {
    const specifiers = [
      ...source.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm),
    ];
    return specifiers.map((match) => match[1] ?? match[2] ?? match[3]!);
  }

  it('depends on no subgraph and not on the gateway', () => {
    const outward = sourceFiles('lib').flatMap((file) =>
      importsOf(read(file))
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, path.dirname(file), specifier)))
        .filter((target) => /^(subgraphs|gateway)\//.test(target))
        .map((target) => `${file} imports ${target}`),
    );
    expect(outward, 'shared code must not depend on the parts that use it').toEqual([]);
  });
});
