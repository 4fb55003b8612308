import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config/project-root.js';
import { composeSupergraph, readSupergraph } from '../../schema/supergraph.js';
import codegenConfig from '../../codegen.js';
import { buildASTSchema, parse, type GraphQLEnumType } from 'graphql';
import { PURPOSES } from '../../lib/auth/purposes.js';
import { readSdl } from '../../schema/supergraph.js';

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

describe('the records contract', () => {
  it('lists exactly the purposes the nodes accept in X-Purpose', () => {
    const sdl = readSdl('records')
      .replace(/extend schema[^\n]*\n[^\n]*\n/, '')
      .replace(/@key\([^)]*\)/g, '')
      .replace(/^extend type/gm, 'type');
    const purpose = buildASTSchema(parse(sdl), { assumeValidSDL: true }).getType('Purpose') as GraphQLEnumType;
    expect(purpose.getValues().map((value) => value.name)).toEqual(Object.keys(PURPOSES));
  });
});
