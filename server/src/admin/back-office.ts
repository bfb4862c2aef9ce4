import type { Db } from '../db/connect.js';
import { Loyalty } from '../loyalty/loyalty.js';
import type { RouteDeps } from '../routes/types.js';
import { TerminalReportStore } from '../terminals/terminal-report-store.js';
import { ApiKeyStore } from './api-key-store.js';
import { AuditLog } from './audit-log.js';
import { Catalogue } from './catalogue.js';
import { MemberAdmin } from './member-admin.js';
import { Reports } from './reports.js';
import { StaffStore } from './staff-store.js';

/** The back office's data access, over the server's one database connection. */
export interface BackOffice {
  staff: StaffStore;
  audit: AuditLog;
  catalogue: Catalogue;
  members: MemberAdmin;
  reports: Reports;
  apiKeys: ApiKeyStore;
  terminalReports: TerminalReportStore;
  loyalty: Loyalty;
}

export function openBackOffice(db: Db): BackOffice {
  const terminalReports = new TerminalReportStore(db);
  const loyalty = new Loyalty(db);
  return {
    staff: new StaffStore(db),
    audit: new AuditLog(db),
    catalogue: new Catalogue(db, loyalty.tierPrices),
    members: new MemberAdmin(db, loyalty),
    reports: new Reports(db, terminalReports),
    apiKeys: new ApiKeyStore(db),
    terminalReports,
    loyalty,
  };
}

export interface AdminDeps extends RouteDeps {
  office: BackOffice;
}
