import { TERMINAL_REPORT_PATH } from '@posface/protocol';
import { TerminalReportRequest, TerminalReportResponse } from '@posface/protocol/api';
import { terminalOf } from '../auth/terminal-auth.js';
import { perTerminalPerMinute } from '../http/rate-limit.js';
import { TerminalReportStore } from '../terminals/terminal-report-store.js';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * POST /api/v1/terminal/report {versions?, face_events?}: the till's software versions and its face steps'
 * outcomes, for the back office (docs/back-office.md). Terminal authentication (cookie or bearer token);
 * the schema has no field for an openid, nickname or member, and refuses unknown fields.
 */
export function terminalReportRoutes(app: Api, deps: RouteDeps): void {
  const reports = new TerminalReportStore(deps.storage.db);
  app.post(
    TERMINAL_REPORT_PATH,
    {
      config: { rateLimit: perTerminalPerMinute(60) },
      schema: { body: TerminalReportRequest, response: { 200: TerminalReportResponse, ...ERROR_RESPONSES } },
    },
    async (request) => reports.record(terminalOf(request), request.body),
  );
}
