import { HealthStatus } from '@posface/protocol/api';
import { probe } from '../health/probes.js';
import type { Api, RouteDeps } from './types.js';

/** Liveness (the process answers) and readiness (database and cache answer, each within seconds). No token needed. */
export function healthRoutes(app: Api, deps: RouteDeps): void {
  app.get('/healthz', { schema: { response: { 200: HealthStatus } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { schema: { response: { 200: HealthStatus, 503: HealthStatus } } }, async (request, reply) => {
    const checks = await probe(deps, (name, error) => request.log.warn({ err: error }, `readiness: ${name} failed`));
    const ok = checks.database === 'ok' && checks.cache === 'ok';
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });
}
