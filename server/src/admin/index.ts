import { ADMIN_API_PREFIX, INTEGRATION_API_PREFIX } from '@posface/protocol';
import type { FastifyInstance } from 'fastify';
import type { Api, RouteDeps } from '../routes/types.js';
import { requireStaff } from './admin-auth.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { openBackOffice, type AdminDeps } from './back-office.js';
import { integrationRoutes } from './integration.js';
import { loyaltyRoutes } from './loyalty-routes.js';
import { memberRoutes } from './member-routes.js';
import { orderRoutes } from './order-routes.js';
import { productRoutes } from './product-routes.js';
import { reportRoutes } from './report-routes.js';
import { sessionRoutes } from './session-routes.js';
import { staffRoutes } from './staff-routes.js';
import { terminalRoutes } from './terminal-routes.js';

/**
 * The back office's API (/api/admin/v1, staff session cookie, one permission per route) and the
 * integration API (/api/integration/v1, API keys). One plugin per domain.
 */
export async function registerBackOffice(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const adminDeps: AdminDeps = { ...deps, office: openBackOffice(deps.storage.db) };
  await app.register(
    async (scope) => {
      requireStaff(scope, adminDeps.office.staff);
      const api = scope as unknown as Api;
      for (const routes of [sessionRoutes, staffRoutes, terminalRoutes, productRoutes, memberRoutes, orderRoutes, loyaltyRoutes, reportRoutes, apiKeyRoutes]) routes(api, adminDeps);
    },
    { prefix: ADMIN_API_PREFIX },
  );
  await app.register(async (scope) => integrationRoutes(scope as unknown as Api, adminDeps), { prefix: INTEGRATION_API_PREFIX });
}

export { registerAdminStatic } from './admin-static.js';
export { registerOpenApi } from './openapi.js';
