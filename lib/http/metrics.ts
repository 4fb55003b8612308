import { collectDefaultMetrics, Registry } from 'prom-client';

// One registry per process, served at /metrics.
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
