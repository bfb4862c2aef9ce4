import { ApiKey, ApiKeyList, CreateApiKeyRequest, CreatedApiKey, IdParams } from '@posface/protocol/admin-api';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import { actorOf } from './admin-auth.js';
import type { AdminDeps } from './back-office.js';

/** API keys for the integration API: created (the key shown once), listed, revoked. */
export function apiKeyRoutes(app: Api, deps: AdminDeps): void {
  const { apiKeys, audit } = deps.office;
  const db = deps.storage.db.kysely;
  const config = { permission: 'api_keys.manage' } as const;

  app.get('/api-keys', { config, schema: { response: { 200: ApiKeyList, ...ERROR_RESPONSES } } }, async () => ({ items: await apiKeys.list() }));

  app.post('/api-keys', { config, schema: { body: CreateApiKeyRequest, response: { 201: CreatedApiKey, ...ERROR_RESPONSES } } }, async (request, reply) => {
    const created = await db.transaction().execute(async (trx) => {
      const { apiKey, key } = await apiKeys.create({ ...request.body, createdBy: actorOf(request) }, trx);
      await audit.write(trx, { actor: actorOf(request), action: 'api_keys.create', target_type: 'api_key', target_id: apiKey.id, summary: { name: apiKey.name, prefix: apiKey.prefix, scopes: apiKey.scopes } });
      return { ...apiKey, key };
    });
    // The key is a credential: no cache on the way.
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(created);
  });

  app.delete('/api-keys/:id', { config, schema: { params: IdParams, response: { 200: ApiKey, ...ERROR_RESPONSES } } }, async (request) =>
    db.transaction().execute(async (trx) => {
      const revoked = await apiKeys.revoke(request.params.id, trx);
      await audit.write(trx, { actor: actorOf(request), action: 'api_keys.revoke', target_type: 'api_key', target_id: revoked.id, summary: { name: revoked.name, prefix: revoked.prefix } });
      return revoked;
    }),
  );
}
