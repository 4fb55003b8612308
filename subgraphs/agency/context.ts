import { createLoaders, type Loaders } from './loaders.js';
import type { RecordStore } from './store/store.js';

/**
 * Built once per request. It is the seam where the verified caller and purpose will sit,
 * so resolvers and the store can decide disclosure per record for this caller.
 */
export interface NodeContext {
  /** The agency this node serves: the owner of every record in its store. */
  agency: string;
  store: RecordStore;
  loaders: Loaders;
}

export function createNodeContext(agency: string, store: RecordStore): NodeContext {
  return { agency, store, loaders: createLoaders(store) };
}
