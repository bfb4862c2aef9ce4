import { AuthinfoQuery, AuthinfoRequest, AuthinfoResponse } from '@posface/protocol/api';
import { terminalOf } from '../auth/terminal-auth.js';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * POST /api/v1/face/authinfo {rawdata}: the broker; store and device come from the terminal record.
 * `?refresh=true` after the SDK rejected the authinfo drops this terminal's cached one first.
 */
export function faceRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    '/face/authinfo',
    { schema: { body: AuthinfoRequest, querystring: AuthinfoQuery, response: { 200: AuthinfoResponse, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const answer = await deps.authinfo.forTerminal(terminalOf(request), request.body.rawdata, { refresh: request.query.refresh === true });
      // An authinfo is a credential: no cache on the way.
      reply.header('cache-control', 'no-store');
      return answer;
    },
  );
}
