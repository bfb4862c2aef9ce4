import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';

/** Every answer counted and timed by route template (never the raw URL: openids travel in paths). */
export function installHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '(unmatched)';
    const status = reply.statusCode;
    metrics.httpRequests.inc({ method: request.method, route, status });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    if (status === 429) metrics.rateLimited.inc({ route });
  });
}
