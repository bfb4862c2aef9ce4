import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { ADMIN_API_PREFIX, INTEGRATION_API_PREFIX } from '@posface/protocol';
import type { FastifyInstance } from 'fastify';
import { INTEGRATION_REQUESTS_PER_MINUTE } from './integration.js';

/** Where the OpenAPI document is served: the UI at /api/docs, the JSON at /api/docs/json. */
export const DOCS_PREFIX = '/api/docs';

/**
 * The OpenAPI document (@fastify/swagger reads the routes' TypeBox schemas, so it cannot drift from what
 * the server validates) of the integration API and the back office's API; the POS's own /api/v1 stays out.
 * Registered before the routes it describes.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'POS Face merchant server: integration and back-office API',
        // The API's version (the paths' v1), not the server's.
        version: '1.0.0',
        description: [
          `Integration API (${INTEGRATION_API_PREFIX}): for the merchant's ERP scripts. Send \`Authorization: Bearer <api key>\`; keys are created in the back office (API 密钥), shown once, scoped (products:write, orders:read) and revocable; ${INTEGRATION_REQUESTS_PER_MINUTE} requests a minute per key.`,
          `Back-office API (${ADMIN_API_PREFIX}): the admin app's; a staff session cookie from POST ${ADMIN_API_PREFIX}/session, and \`X-PosFace-Request: 1\` on changes.`,
          'Errors: `{ "error": { "code", "message", "details"? } }`. Money is integer fen.',
        ].join('\n\n'),
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' }, staffSession: { type: 'apiKey', in: 'cookie', name: 'posface_admin' } } },
    },
    transform: ({ schema, url, route }) => {
      const documented = url.startsWith(INTEGRATION_API_PREFIX) || url.startsWith(ADMIN_API_PREFIX);
      const tag = url.startsWith(INTEGRATION_API_PREFIX) ? 'integration' : 'back office';
      const security = url.startsWith(INTEGRATION_API_PREFIX) ? [{ apiKey: [] }] : route.config?.permission === 'public' ? [] : [{ staffSession: [] }];
      return { schema: { ...schema, hide: !documented, tags: [tag], security } as typeof schema, url };
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: false });
}
