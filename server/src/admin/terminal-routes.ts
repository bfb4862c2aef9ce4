import { formatPairingCode } from '@posface/protocol';
import type { AdminTerminal} from '@posface/protocol/admin-api';
import { AdminTerminalList, CreateTerminalRequest, IdParams, PairingCodeResponse, StoreList, TerminalQuery } from '@posface/protocol/admin-api';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { ERROR_RESPONSES } from '../routes/errors.js';
import type { Api } from '../routes/types.js';
import type { Terminal } from '../terminals/terminal-store.js';
import { actorOf } from './admin-auth.js';
import type { AdminDeps } from './back-office.js';

/** The face success rate on the terminal list covers this many days. */
export const FACE_RATE_DAYS = 7;

/**
 * Terminals: provision (store, device) → a one-time pairing code to type on the POS
 * (docs/terminal-pairing.md), a new code, the list with last seen, versions and face success rate, revoke.
 */
export function terminalRoutes(app: Api, deps: AdminDeps): void {
  const { terminals } = deps.storage;
  const { audit, terminalReports } = deps.office;
  const db = deps.storage.db.kysely;
  const config = { permission: 'terminals.manage' } as const;
  const audited = async (actor: string, action: string, terminal: Terminal, summary: Record<string, unknown> = {}) =>
    audit.write(db, { actor, action, target_type: 'terminal', target_id: terminal.id, summary: { store_id: terminal.store_id, device_id: terminal.device_id, ...summary } });
  const pairing = (terminal: Terminal, p: { code: string; expires_at: string }) => ({ terminal_id: terminal.id, pairing_code: formatPairingCode(p.code), expires_at: p.expires_at });

  app.get('/stores', { config, schema: { response: { 200: StoreList, ...ERROR_RESPONSES } } }, async () => ({
    items: await db.selectFrom('stores').select(['id', 'name']).orderBy('id').execute(),
  }));

  app.get('/terminals', { config, schema: { querystring: TerminalQuery, response: { 200: AdminTerminalList, ...ERROR_RESPONSES } } }, async (request) => {
    const now = Date.now();
    const [all, versions, face, seen] = await Promise.all([
      terminals.list(),
      terminalReports.versions(),
      terminalReports.faceCounts(new Date(now - FACE_RATE_DAYS * 86_400_000).toISOString(), new Date(now + 60_000).toISOString()),
      db.selectFrom('terminal_sessions').select(['terminal_id', sql<string>`max(last_seen_at)`.as('last')]).groupBy('terminal_id').execute(),
    ]);
    const lastSession = new Map(seen.map((s) => [s.terminal_id, s.last]));
    const items: AdminTerminal[] = all
      .filter((t) => (request.query.include_revoked === true || t.revoked_at === null) && (request.query.store_id === undefined || t.store_id === request.query.store_id))
      .map((t) => {
        const v = versions.get(t.id) ?? null;
        const f = face.get(t.id);
        const last = [lastSession.get(t.id), v?.reported_at].filter((x): x is string => typeof x === 'string').sort().pop() ?? null;
        return {
          id: t.id,
          store_id: t.store_id,
          store_name: t.store_name,
          device_id: t.device_id,
          created_at: t.created_at,
          revoked_at: t.revoked_at,
          last_seen_at: last,
          versions: v,
          face: { attempts: f?.attempts ?? 0, recognised: f?.recognised ?? 0, success_rate: f && f.attempts > 0 ? f.recognised / f.attempts : null },
        };
      });
    return { items };
  });

  app.post('/terminals', { config, schema: { body: CreateTerminalRequest, response: { 201: PairingCodeResponse, ...ERROR_RESPONSES } } }, async (request, reply) => {
    const { store_id: storeId, device_id: deviceId, store_name: storeName } = request.body;
    const { terminal, pairing: code } = await terminals.provision({ storeId, deviceId, ...(storeName !== undefined ? { storeName } : {}) });
    await audited(actorOf(request), 'terminals.create', terminal, storeName !== undefined ? { store_name: storeName } : {});
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(pairing(terminal, code));
  });

  app.post('/terminals/:id/pairing-code', { config, schema: { params: IdParams, response: { 200: PairingCodeResponse, ...ERROR_RESPONSES } } }, async (request, reply) => {
    const { terminal, pairing: code } = await terminals.issuePairingCode({ id: request.params.id });
    await audited(actorOf(request), 'terminals.pairing_code', terminal);
    reply.header('cache-control', 'no-store');
    return pairing(terminal, code);
  });

  /** Revokes at once: its pairing code, POS session and token stop working with their next request. */
  app.delete('/terminals/:id', { config, schema: { params: IdParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } } }, async (request, reply) => {
    await terminals.findActive({ id: request.params.id });
    for (const t of await terminals.revoke({ id: request.params.id })) await audited(actorOf(request), 'terminals.revoke', t);
    return reply.code(204).send(null);
  });
}
