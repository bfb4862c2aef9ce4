import { HealthStatus } from '@posface/protocol/api';
import { sql } from 'kysely';
import type { Api, RouteDeps } from './types.js';

/** Liveness (the process answers) and readiness (database and cache answer). No token needed. */
export function healthRoutes(app: Api, deps: RouteDeps): void {
  app.get('/healthz', { schema: { response: { 200: HealthStatus } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { schema: { response: { 200: HealthStatus, 503: HealthStatus } } }, async (request, reply) => {
    const checks: Record<string, string> = {};
    const probe = async (name: string, run: () => Promise<unknown>) => {
      try {
        await run();
        checks[name] = 'ok';
      } catch (error) {
        request.log.warn({ err: error }, `readiness: ${name} failed`);
        checks[name] = 'unavailable';
      }
    };
    await probe('database', () => sql`select 1`.execute(deps.storage.db.kysely));
    await probe('cache', () => deps.cache.ping());
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });
}
