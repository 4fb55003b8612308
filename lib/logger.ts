import { pino, type Logger } from 'pino';

// Every process logs JSON lines to stdout; `npm start` prettifies them for people.
// The level comes from the process's configuration (LOG_LEVEL, lib/config/env.ts).
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, base: { service } });
}

export type { Logger };
