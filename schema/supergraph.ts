import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

// The gateway composes two subgraphs: the directory and ONE logical "records" subgraph.
// Every agency node serves the records contract; the gateway's sovereign data source
// routes each fetch to the owning nodes, so their URLs never enter the supergraph.

const SCHEMA_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SUPERGRAPH_FILE = path.join(SCHEMA_DIR, 'supergraph.graphql');
export const RECORDS_SUBGRAPH = 'records';
export const DIRECTORY_SUBGRAPH = 'directory';

/**
 * A subgraph's SDL: `<name>.graphql`, then each `<name>.<capability>.graphql` that extends
 * it (e.g. records.audit.graphql), so every capability keeps its part of the contract.
 */
export function readSdl(name: 'records' | 'directory'): string {
  return sdlFiles(name)
    .map((file) => readFileSync(path.join(SCHEMA_DIR, file), 'utf8'))
    .join('\n');
}

export function sdlFiles(name: 'records' | 'directory'): string[] {
  const parts = readdirSync(SCHEMA_DIR)
    .filter((file) => file.startsWith(`${name}.`) && file.endsWith('.graphql') && file !== `${name}.graphql`)
    .sort();
  return [`${name}.graphql`, ...parts];
}

export function composeSupergraph(): string {
  const result = composeServices([
    { name: DIRECTORY_SUBGRAPH, url: 'http://directory.federation.invalid/', typeDefs: parse(readSdl('directory')) },
    { name: RECORDS_SUBGRAPH, url: 'http://records.federation.invalid/', typeDefs: parse(readSdl('records')) },
  ]);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`;
}

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_FILE, 'utf8');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SUPERGRAPH_FILE, composeSupergraph());
  console.log(`wrote ${path.relative(process.cwd(), SUPERGRAPH_FILE)}`);
}
