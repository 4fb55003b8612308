// How Node runs an agency node: the one home of its V8 flags. The launcher (`npm start`, the
// tests, the bench), `npm run start:node` and docker-compose.yml all start a node with them,
// and tests/unit/docker-compose.test.ts checks all three against this list.
//
// A larger young generation. A node's questions of many records allocate about 3 MB each
// (graphql-js makes objects for every field of every record); with several in flight, V8's
// default 16 MB semi-spaces fill before they finish, and what is still in flight is promoted
// and collected again as old. Garbage collection was 27.5 % of a node's busy time under ten
// nested questions at once. With 64 MB semi-spaces a node alone took 7.98-8.30 ms of CPU per
// nested question against 12.84-16.75 (32 MB: 9.21-10.58), the lookup and the 1-node list
// the same as before, for about 80 MB more resident memory under load (two semi-spaces: up
// to 128 MB against 32; docs/production.md, docs/performance.md). NODE_OPTIONS cannot undo
// it (the command line comes after it): a node short of memory is started with its own command.
export const AGENCY_NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
