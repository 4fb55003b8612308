import type { LoggedContext } from '../../lib/http/request-log.js';

/** The directory holds only public directory data; its context carries only what its request log says. */
export type DirectoryContext = LoggedContext;
