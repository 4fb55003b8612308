import type { Exchange } from '../client.js';

// How a check shows what came back: status and body, cut to what a report can hold, never
// a token (a node that echoes the Authorization header must not get one into the report).

const LIMIT = 800;
const JWT = /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g;

/** Text for a report: tokens blanked, cut to `limit` characters. */
export function clip(text: string, limit = LIMIT): string {
  const clean = text.replace(JWT, '<token>');
  return clean.length > limit ? `${clean.slice(0, limit)}... (${clean.length} characters)` : clean;
}

/** JSON of a value from a node, which may be nested too deep to print. */
export function json(value: unknown): string {
  try {
    return clip(JSON.stringify(value) ?? String(value));
  } catch {
    return '(a value nested too deep to print)';
  }
}

export function shown(exchange: Exchange): string {
  return `HTTP ${exchange.status} ${clip(typeof exchange.body === 'string' ? exchange.body : exchange.text)}`;
}

export function list(values: Iterable<string>, limit = 12): string {
  const all = [...values];
  return all.length <= limit ? all.join(', ') : `${all.slice(0, limit).join(', ')} and ${all.length - limit} more`;
}
