import { ConfigError } from './config-error.js';
import type { Environment } from './env.js';

// Where services listen and which browser origins may call them. Safe by default: every
// service binds to this machine only, and in production no browser origin is allowed
// unless CORS_ORIGINS names it (partner systems call server to server, without CORS).

export interface HttpSettings {
  /** HOST, default 127.0.0.1. Set 0.0.0.0 (or an interface's address) to serve a network. */
  host: string;
  /** Exact origins ("https://explorer.example.org"); empty: no cross-origin browser calls. */
  corsOrigins: readonly string[];
}

/**
 * In development, browsers on this machine, and Apollo Sandbox as the gateway's landing page
 * embeds it (its frame calls the gateway from its own origin).
 */
export const DEVELOPMENT_ORIGINS: readonly string[] = [
  'http://localhost',
  'http://127.0.0.1',
  'http://[::1]',
  'https://sandbox.embed.apollographql.com',
];

export function httpSettings(environment: Environment): HttpSettings {
  const listed = environment.corsOrigins?.trim();
  if (listed === undefined || listed === '') {
    return { host: environment.host, corsOrigins: environment.production ? [] : DEVELOPMENT_ORIGINS };
  }
  const origins = listed.split(',').map((origin) => origin.trim());
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s*]+$/.test(origin)) {
      throw new ConfigError(
        `CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin such as "https://explorer.example.org" (no path, no wildcard).`,
      );
    }
  }
  return { host: environment.host, corsOrigins: origins };
}
