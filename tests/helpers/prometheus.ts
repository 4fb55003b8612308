import { metricsRegistry } from '../../lib/http/metrics.js';

// Reads samples out of Prometheus's text format, as a scraper would see them: the tests
// check what /metrics says, not the objects behind it.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = value!.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels` (0 when there are none). */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** The distinct values one label takes among the samples of `name` that match `labels`. */
export function labelValues(samples: readonly Sample[], name: string, label: string, labels: Record<string, string> = {}): Set<string> {
  return new Set(
    samples
      .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
      .map((sample) => sample.labels[label])
      .filter((value): value is string => value !== undefined),
  );
}

/** What this process's /metrics would serve. */
export async function scrapeThisProcess(): Promise<Sample[]> {
  return parseExposition(await metricsRegistry.metrics());
}

/** What a server's /metrics serves. */
export async function scrape(baseUrl: string): Promise<Sample[]> {
  const response = await fetch(new URL('/metrics', baseUrl));
  if (!response.ok) throw new Error(`GET /metrics: HTTP ${response.status}`);
  return parseExposition(await response.text());
}
