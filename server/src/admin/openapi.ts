import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { ADMIN_API_PREFIX, API_PREFIX, INTEGRATION_API_PREFIX } from '@posface/protocol';
import type { FastifyInstance } from 'fastify';
import { INTEGRATION_REQUESTS_PER_MINUTE } from './integration.js';

/**
 * The till's routes of the loyalty program (redeem on an order, refunds, the rules the till prices with):
 * documented for whoever builds the till's side. The rest of the POS's own /api/v1 stays out.
 */
export const DOCUMENTED_TILL_ROUTES: readonly string[] = ['/loyalty/rules', '/orders', '/orders/:id', '/orders/:id/refunds'].map((p) => `${API_PREFIX}${p}`);

/** Where the OpenAPI document is served: the UI at /api/docs, the JSON at /api/docs/json. */
export const DOCS_PREFIX = '/api/docs';

/**
 * The OpenAPI document (@fastify/swagger reads the routes' TypeBox schemas, so it cannot drift from what
 * the server validates) of the integration API, the back office's API and the till's loyalty routes.
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
          `Till, loyalty (${API_PREFIX}): orders that redeem points, refunds, the loyalty rules; a paired terminal's \`Authorization: Bearer <terminal token>\` (or the POS's session cookie). Worked examples: docs/loyalty.md.`,
          'Errors: `{ "error": { "code", "message", "details"? } }`. Money is integer fen.',
        ].join('\n\n'),
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' }, staffSession: { type: 'apiKey', in: 'cookie', name: 'posface_admin' }, terminal: { type: 'http', scheme: 'bearer' } },
      },
    },
    transform: ({ schema, url, route }) => {
      const till = DOCUMENTED_TILL_ROUTES.includes(url);
      const documented = till || url.startsWith(INTEGRATION_API_PREFIX) || url.startsWith(ADMIN_API_PREFIX);
      const tag = till ? 'till: loyalty' : url.startsWith(INTEGRATION_API_PREFIX) ? 'integration' : 'back office';
      const security = till ? [{ terminal: [] }] : url.startsWith(INTEGRATION_API_PREFIX) ? [{ apiKey: [] }] : route.config?.permission === 'public' ? [] : [{ staffSession: [] }];
      return { schema: { ...schema, hide: !documented, tags: [tag], security } as typeof schema, url };
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: false });
}
