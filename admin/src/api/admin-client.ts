import { ADMIN_API_PREFIX, type ApiKeyScope, type StaffRole } from '@posface/protocol';
import type {
  AdjustPointsResponse,
  AdminMember,
  AdminMemberList,
  AdminOrderList,
  AdminProduct,
  AdminProductList,
  AdminTerminalList,
  ApiKey,
  ApiKeyList,
  AuditList,
  AuditQuery,
  CreatedApiKey,
  EnrolmentReport,
  FaceReport,
  ImportResult,
  LoyaltySettings,
  MemberDetail,
  MergeMembersResponse,
  PageQuery,
  PairingCodeResponse,
  ReportQuery,
  SalesReport,
  SessionInfo,
  StaffList,
  StaffUser,
  StoreList,
  TopProductReport,
  UpdateMemberRequest,
  UpdateProductRequest,
  UpdateStaffRequest,
} from '@posface/protocol/admin-api';
import type { LoyaltyRules } from '@posface/protocol/api';
import { AdminHttp } from './http.js';

export type ReportName = 'sales' | 'face' | 'enrolments' | 'top-products';
export interface ReportRows {
  sales: SalesReport;
  face: FaceReport;
  enrolments: EnrolmentReport;
  'top-products': TopProductReport;
}

/** One method per /api/admin/v1 route. */
export class AdminApi {
  readonly http: AdminHttp;

  constructor(onUnauthorized?: ConstructorParameters<typeof AdminHttp>[1], fetchFn?: typeof fetch) {
    this.http = new AdminHttp(ADMIN_API_PREFIX, onUnauthorized, fetchFn);
  }

  login = (username: string, password: string) => this.http.request<SessionInfo>('POST', '/session', { body: { username, password } });
  session = () => this.http.request<SessionInfo>('GET', '/session');
  logout = () => this.http.request<void>('DELETE', '/session');

  staff = () => this.http.request<StaffList>('GET', '/staff');
  createStaff = (body: { username: string; role: StaffRole; password: string }) => this.http.request<StaffUser>('POST', '/staff', { body });
  updateStaff = (id: string, body: UpdateStaffRequest) => this.http.request<StaffUser>('PATCH', `/staff/${encodeURIComponent(id)}`, { body });
  audit = (query: AuditQuery) => this.http.request<AuditList>('GET', '/audit', { query });

  stores = () => this.http.request<StoreList>('GET', '/stores');
  terminals = (includeRevoked: boolean) => this.http.request<AdminTerminalList>('GET', '/terminals', { query: { include_revoked: includeRevoked } });
  createTerminal = (body: { store_id: string; device_id: string; store_name?: string }) => this.http.request<PairingCodeResponse>('POST', '/terminals', { body });
  newPairingCode = (id: string) => this.http.request<PairingCodeResponse>('POST', `/terminals/${encodeURIComponent(id)}/pairing-code`);
  revokeTerminal = (id: string) => this.http.request<void>('DELETE', `/terminals/${encodeURIComponent(id)}`);

  products = (query: PageQuery) => this.http.request<AdminProductList>('GET', '/products', { query });
  updateProduct = (id: string, body: UpdateProductRequest) => this.http.request<AdminProduct>('PATCH', `/products/${encodeURIComponent(id)}`, { body });
  importProducts = (csv: string, dryRun: boolean) => this.http.request<ImportResult>('POST', '/products/import', { csv, query: { dry_run: dryRun ? 1 : undefined } });
  exportProducts = () => this.http.request<string>('GET', '/products/export', { text: true });

  members = (query: PageQuery) => this.http.request<AdminMemberList>('GET', '/members', { query });
  member = (id: string) => this.http.request<MemberDetail>('GET', `/members/${encodeURIComponent(id)}`);
  memberOrders = (id: string, page: number) => this.http.request<AdminOrderList>('GET', `/members/${encodeURIComponent(id)}/orders`, { query: { page } });
  updateMember = (id: string, body: UpdateMemberRequest) => this.http.request<AdminMember>('PATCH', `/members/${encodeURIComponent(id)}`, { body });
  adjustPoints = (id: string, points: number, reason: string) => this.http.request<AdjustPointsResponse>('POST', `/members/${encodeURIComponent(id)}/points`, { body: { points, reason } });
  mergeMember = (id: string, duplicateId: string) => this.http.request<MergeMembersResponse>('POST', `/members/${encodeURIComponent(id)}/merge`, { body: { duplicate_id: duplicateId } });

  loyalty = () => this.http.request<LoyaltySettings>('GET', '/loyalty');
  saveLoyalty = (rules: LoyaltyRules) => this.http.request<LoyaltySettings>('PUT', '/loyalty', { body: rules });

  report = <N extends ReportName>(name: N, query: ReportQuery) => this.http.request<ReportRows[N]>('GET', `/reports/${name}`, { query });
  reportCsv = (name: ReportName, query: ReportQuery) => this.http.request<string>('GET', `/reports/${name}`, { query: { ...query, format: 'csv' }, text: true });

  apiKeys = () => this.http.request<ApiKeyList>('GET', '/api-keys');
  createApiKey = (name: string, scopes: ApiKeyScope[]) => this.http.request<CreatedApiKey>('POST', '/api-keys', { body: { name, scopes } });
  revokeApiKey = (id: string) => this.http.request<ApiKey>('DELETE', `/api-keys/${encodeURIComponent(id)}`);
}

let instance: AdminApi | null = null;

/** The app's one client (main.ts sets it; tests set a fake). */
export function setApi(api: AdminApi): void {
  instance = api;
}
export function api(): AdminApi {
  if (instance === null) throw new Error('the admin API client is not set up (main.ts)');
  return instance;
}
