import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

// Load comes from autocannon in its own process (its CLI, JSON out), so the load generator's
// CPU is never counted in, nor competes inside, a process being measured.

const run = promisify(execFile);
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function load(request: LoadRequest): Promise<LoadResult> {
  const headers = Object.entries(request.headers).flatMap(([key, value]) => ['-H', `${key}=${value}`]);
  const { stdout } = await run(
    process.execPath,
    [
      AUTOCANNON,
      '--json',
      '-c',
      String(request.connections),
      '-d',
      String(request.seconds),
      '-m',
      'POST',
      ...headers,
      '-b',
      request.body,
      request.url,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as {
    requests: { total: number; average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
