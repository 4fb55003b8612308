import type { HttpSettings } from '../../lib/config/http.js';

/** How services started in-process by tests listen: this machine only, no browser origins. */
export const LOOPBACK_HTTP: HttpSettings = { host: '127.0.0.1', corsOrigins: [] };
