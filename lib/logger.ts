import { pino, type Logger } from 'pino';

// Every process logs JSON lines to stdout; `npm start` prettifies them for people.
export function createLogger(service: string): Logger {
  return pino({ name: service, level: process.env.LOG_LEVEL ?? 'info', base: { service } });
}

export type { Logger };
