import type { Exchange } from '../client.js';

// How a check shows what came back: status and body, cut to what a report can hold.

const LIMIT = 800;

export function shown(exchange: Exchange): string {
  const body = typeof exchange.body === 'string' ? exchange.body : JSON.stringify(exchange.body);
  return `HTTP ${exchange.status} ${body.length > LIMIT ? `${body.slice(0, LIMIT)}... (${body.length} characters)` : body}`;
}

export function list(values: Iterable<string>, limit = 12): string {
  const all = [...values];
  return all.length <= limit ? all.join(', ') : `${all.slice(0, limit).join(', ')} and ${all.length - limit} more`;
}
