import { buildASTSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { reservedAliasRule } from '../../../gateway/reserved-alias.js';
import { readSdl } from '../../../schema/supergraph.js';

// The gateway's own rank alias is not a partner's to use: their field and the gateway's
// would collide at every node and the partner's screening answer would come back wrong.

const schema = buildASTSchema(parse(readSdl('records')), { assumeValidSDL: true });

describe('the reserved alias', () => {
  it("refuses a partner's question that uses the gateway's rank alias, and only that", () => {
    const refused = validate(schema, parse('{ screen(person: { name: "Ann Lee" }) { sovereignRank__: score } }'), [reservedAliasRule]);
    expect(refused.map((error) => error.message)).toEqual(['The alias sovereignRank__ is reserved by the gateway; choose another.']);
    expect(validate(schema, parse('{ screen(person: { name: "Ann Lee" }) { rank: score } }'), [reservedAliasRule])).toEqual([]);
  });
});
