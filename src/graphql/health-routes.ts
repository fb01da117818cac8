import { Router } from 'express';
import type { Metrics } from '../observability/metrics.js';

export interface HealthRoutesOptions {
  /** Resolves when the database answers; drives /readyz. */
  checkReady: () => Promise<void>;
  metrics: Metrics;
}

/** `/healthz` (the process is up), `/readyz` (the database answers, else 503) and `/metrics` (Prometheus). */
export function healthRoutes({ checkReady, metrics }: HealthRoutesOptions): Router {
  const routes = Router();
  routes.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  routes.get('/readyz', async (_req, res) => {
    try {
      await checkReady();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  routes.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return routes;
}
