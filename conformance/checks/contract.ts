import { composeServices } from '@apollo/composition';
import {
  buildASTSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  isNonNullType,
  parse,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { readSdl } from '../../schema/supergraph.js';
import { graphqlBody, type Exchange } from '../client.js';
import type { Check, Kit } from '../kit.js';
import { list, shown } from './show.js';

// Contract: the node's own account of its schema (`_service { sdl }`) composes with the
// directory into the federation's supergraph, and has every type and field of the records
// contract (schema/records*.graphql) with the same types, so the gateway's plans fit it.

const SERVICE_QUERY = '{ _service { sdl } }';

/** The node's answer to _service, asked once per run: both contract checks read it. */
const serviceAnswers = new WeakMap<Kit, Promise<Exchange>>();

async function nodeSdl(kit: Kit, fail: Parameters<Check['run']>[1], contract: string): Promise<string | undefined> {
  let answer = serviceAnswers.get(kit);
  if (!answer) {
    answer = kit.as(kit.callers[0]!).then((credentials) => kit.client.post(SERVICE_QUERY, undefined, credentials));
    serviceAnswers.set(kit, answer);
  }
  const exchange = await answer;
  const sdl = (graphqlBody(exchange).data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (typeof sdl === 'string' && sdl.length > 0) return sdl;
  fail({ request: exchange.request, got: shown(exchange), contract });
  return undefined;
}

const isBuiltIn = (type: GraphQLNamedType) =>
  type.name.startsWith('__') || type.name.startsWith('_') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name);

/** How the node's schema differs from the contract's, one line each. */
export function contractDifferences(contract: GraphQLSchema, node: GraphQLSchema): string[] {
  const differences: string[] = [];
  const sameArguments = (
    where: string,
    wanted: readonly (GraphQLArgument | GraphQLInputField)[],
    got: readonly (GraphQLArgument | GraphQLInputField)[],
    input: string,
  ) => {
    for (const argument of wanted) {
      const match = got.find((candidate) => candidate.name === argument.name);
      if (!match) differences.push(`${where}: ${input} ${argument.name} is missing`);
      else if (String(match.type) !== String(argument.type))
        differences.push(`${where}: ${input} ${argument.name} is ${String(match.type)}, not ${String(argument.type)}`);
    }
    for (const extra of got.filter((candidate) => !wanted.some((argument) => argument.name === candidate.name))) {
      if (isNonNullType(extra.type) && extra.defaultValue === undefined)
        differences.push(`${where}: ${input} ${extra.name} is required, but the contract has no such ${input}`);
    }
  };
  for (const wanted of Object.values(contract.getTypeMap())) {
    if (isBuiltIn(wanted)) continue;
    const got = node.getType(wanted.name);
    if (!got) {
      differences.push(`type ${wanted.name} is missing`);
      continue;
    }
    if (got.constructor !== wanted.constructor) {
      differences.push(
        `${wanted.name} is a ${got.constructor.name.replace('GraphQL', '')}, not a ${wanted.constructor.name.replace('GraphQL', '')}`,
      );
      continue;
    }
    if ((isObjectType(wanted) || isInterfaceType(wanted)) && (isObjectType(got) || isInterfaceType(got))) {
      const fields = got.getFields();
      for (const field of Object.values(wanted.getFields())) {
        const match = fields[field.name];
        if (!match) differences.push(`${wanted.name}.${field.name} is missing`);
        else {
          if (String(match.type) !== String(field.type))
            differences.push(`${wanted.name}.${field.name} is ${String(match.type)}, not ${String(field.type)}`);
          sameArguments(`${wanted.name}.${field.name}`, field.args, match.args, 'argument');
        }
      }
    } else if (isInputObjectType(wanted) && isInputObjectType(got)) {
      sameArguments(wanted.name, Object.values(wanted.getFields()), Object.values(got.getFields()), 'field');
    } else if (isEnumType(wanted) && isEnumType(got)) {
      const values = new Set(got.getValues().map((value) => value.name));
      const wantedValues = new Set(wanted.getValues().map((value) => value.name));
      const missing = [...wantedValues].filter((value) => !values.has(value));
      const extra = [...values].filter((value) => !wantedValues.has(value));
      if (missing.length > 0) differences.push(`enum ${wanted.name} lacks ${list(missing)}`);
      if (extra.length > 0) differences.push(`enum ${wanted.name} has values the contract does not: ${list(extra)}`);
    } else if (isUnionType(wanted) && isUnionType(got)) {
      const members = got
        .getTypes()
        .map((type) => type.name)
        .sort()
        .join(' | ');
      const wantedMembers = wanted
        .getTypes()
        .map((type) => type.name)
        .sort()
        .join(' | ');
      if (members !== wantedMembers) differences.push(`union ${wanted.name} is ${members}, not ${wantedMembers}`);
    }
  }
  return differences;
}

export const CONTRACT_CHECKS: Check[] = [
  {
    name: 'contract.composes',
    group: 'Contract',
    promise: "the node's _service { sdl } composes with the directory subgraph into the federation's supergraph",
    async run(kit, fail) {
      const sdl = await nodeSdl(kit, fail, 'the node answers _service { sdl } with its schema');
      if (!sdl) return;
      let typeDefs;
      try {
        typeDefs = parse(sdl);
      } catch (error) {
        fail({ got: `the SDL does not parse: ${(error as Error).message}`, contract: this.promise });
        return;
      }
      const result = composeServices([
        { name: 'directory', url: 'http://directory.invalid/', typeDefs: parse(readSdl('directory')) },
        { name: 'records', url: 'http://records.invalid/', typeDefs },
      ]);
      if (result.errors) fail({ got: result.errors.map((error) => error.message).join('; '), contract: this.promise });
    },
  },
  {
    name: 'contract.types-and-fields',
    group: 'Contract',
    promise: 'every type, field, argument and enum value of the records contract is there, with the same types',
    async run(kit, fail) {
      const sdl = await nodeSdl(kit, fail, 'the node answers _service { sdl } with its schema');
      if (!sdl) return;
      let node: GraphQLSchema;
      try {
        node = buildASTSchema(parse(sdl), { assumeValidSDL: true });
      } catch (error) {
        fail({ got: `the SDL does not build a schema: ${(error as Error).message}`, contract: this.promise });
        return;
      }
      // Federation's directives are not declared in a subgraph's SDL: the schemas are built as they read.
      const contract = buildASTSchema(parse(readSdl('records')), { assumeValidSDL: true });
      for (const difference of contractDifferences(contract, node)) fail({ got: difference, contract: this.promise });
      return `${Object.keys(contract.getTypeMap()).length} types compared`;
    },
  },
];
