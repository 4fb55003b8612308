import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';
import { composeSupergraph, readSupergraph } from '../../schema/supergraph.js';
import codegenConfig from '../../codegen.js';

describe('committed schema artefacts', () => {
  it('the supergraph is what `npm run compose` makes of the subgraph SDL', () => {
    expect(readSupergraph(), 'schema/supergraph.graphql is stale: run `npm run compose`').toBe(composeSupergraph());
  });

  it('the resolver types are what `npm run codegen` makes of the SDL', async () => {
    const outputs = await generate({ ...codegenConfig, cwd: PROJECT_ROOT, silent: true }, false);
    expect(outputs.length).toBe(2);
    for (const output of outputs) {
      const committed = readFileSync(path.join(PROJECT_ROOT, output.filename), 'utf8');
      expect(committed, `${output.filename} is stale: run \`npm run codegen\``).toBe(output.content);
    }
  });
});
