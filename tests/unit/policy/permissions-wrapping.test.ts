import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLObjectType } from 'graphql';
import { expect, it } from 'vitest';
import { withPermissions } from '../../../subgraphs/agency/policy/permissions.js';
import { readSdl } from '../../../schema/supergraph.js';

// The permission rules wrap the fields they name, and only those: a field nobody ruled is
// allowed by the fallback, and wrapping it anyway made every scalar of an answer a promise
// (issue 15). Who may call what is tested through the node (policy matrix, e2e).

const schema = withPermissions(buildSubgraphSchema({ typeDefs: parse(readSdl('records')) }));
const fieldsOf = (type: string) => (schema.getType(type) as GraphQLObjectType).getFields();

it('wraps every field of a type ruled as a whole, and the named fields of the others', () => {
  for (const field of Object.values(fieldsOf('Query'))) expect(field.resolve, `Query.${field.name}`).toBeTypeOf('function');
  for (const field of Object.values(fieldsOf('Mutation'))) expect(field.resolve, `Mutation.${field.name}`).toBeTypeOf('function');
  for (const type of ['Notice', 'Subject', 'Case']) {
    expect(fieldsOf(type).releasableTo!.resolve, `${type}.releasableTo`).toBeTypeOf('function');
    expect(fieldsOf(type).discoverable!.resolve, `${type}.discoverable`).toBeTypeOf('function');
  }
  expect(fieldsOf('Agency').holdings!.resolve).toBeTypeOf('function');
  expect(fieldsOf('Agency').cooperation!.resolve).toBeTypeOf('function');
});

it('leaves the fields nobody ruled as they were', () => {
  expect(fieldsOf('Notice').colour!.resolve).toBeUndefined();
  expect(fieldsOf('Notice').id!.resolve).toBeUndefined();
  expect(fieldsOf('Subject').kind!.resolve).toBeUndefined();
  expect(fieldsOf('Case').reference!.resolve).toBeUndefined();
  expect(fieldsOf('Agency').code!.resolve).toBeUndefined();
});
