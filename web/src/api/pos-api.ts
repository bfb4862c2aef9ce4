import { API_PREFIX, IDEMPOTENCY_KEY_HEADER, PAIR_PATH, SESSION_PATH, shortHash, TERMINAL_REPORT_PATH } from '@posface/protocol';
import type { CreateMemberRequest, CreateOrderRequest, Member, RefundRequest, TerminalReportRequest } from '@posface/protocol/api';
import type { HttpClient } from './http.js';

const HEALTH_PATH = '/healthz';

/**
 * The merchant server's /api/v1 routes the POS uses, one method each; each answer is checked on arrival against
 * the schema named here (answers.ts), whose type is the method's result.
 */
export class PosApi {
  constructor(private readonly http: HttpClient) {}

  /** Redeems IT's one-time code; the answer sets this browser's session cookie. */
  pair(code: string) {
    return this.http.post(`${API_PREFIX}${PAIR_PATH}`, { code }, 'PairResponse');
  }

  /** Ends this browser's session (the terminal stays provisioned; pairing again needs a new code). */
  unpair(): Promise<void> {
    return this.http.delete(`${API_PREFIX}${SESSION_PATH}`);
  }

  terminal() {
    return this.http.get(`${API_PREFIX}/terminal`, 'TerminalInfo');
  }

  /** `refresh` makes the server drop its cached authinfo first (after the SDK rejected it). */
  authinfo(rawdata: string, options: { refresh: boolean } = { refresh: false }) {
    const query = options.refresh ? '?refresh=true' : '';
    return this.http.post(`${API_PREFIX}/face/authinfo${query}`, { rawdata }, 'AuthinfoResponse');
  }

  /** The member with this openid, or null when the face is not a member yet. */
  async memberByOpenid(openid: string): Promise<Member | null> {
    const path = `${API_PREFIX}/members/by-openid`;
    const lookup = await this.http.get(`${path}/${encodeURIComponent(openid)}`, 'MemberLookup', { label: `${path}/${shortHash(openid)}` });
    return lookup.member;
  }

  async membersByPhone(phone: string): Promise<Member[]> {
    return (await this.http.get(`${API_PREFIX}/members`, 'MemberList', { query: { phone } })).items;
  }

  createMember(request: CreateMemberRequest) {
    return this.http.post(`${API_PREFIX}/members`, request, 'Member');
  }

  async recommendations(memberId: string) {
    return (await this.http.get(`${API_PREFIX}/members/${encodeURIComponent(memberId)}/recommendations`, 'RecommendationList')).items;
  }

  async searchProducts(q: string, limit: number) {
    return (await this.http.get(`${API_PREFIX}/products`, 'ProductList', { query: { q, limit } })).items;
  }

  async productsByBarcode(barcode: string) {
    return (await this.http.get(`${API_PREFIX}/products`, 'ProductList', { query: { barcode } })).items;
  }

  /** The same key for a retry of the same sale, so a lost answer never books the sale twice. */
  createOrder(request: CreateOrderRequest, idempotencyKey: string) {
    return this.http.post(`${API_PREFIX}/orders`, request, 'Order', { headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey } });
  }

  /** The merchant's loyalty rules: the till prices, caps redemption and earns points with protocol's rules and these. */
  loyaltyRules() {
    return this.http.get(`${API_PREFIX}/loyalty/rules`, 'LoyaltyRules');
  }

  /** An order with its refunds and what is left to refund per line. */
  order(orderId: string) {
    return this.http.get(`${API_PREFIX}/orders/${encodeURIComponent(orderId)}`, 'OrderDetail');
  }

  /** The same key for a retry of the same refund, so a lost answer never refunds twice. */
  refund(orderId: string, request: RefundRequest, idempotencyKey: string) {
    return this.http.post(`${API_PREFIX}/orders/${encodeURIComponent(orderId)}/refunds`, request, 'Refund', { headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey } });
  }

  /** The till's versions and face outcomes, for the back office (never an openid). */
  terminalReport(report: TerminalReportRequest) {
    return this.http.post(`${API_PREFIX}${TERMINAL_REPORT_PATH}`, report, 'TerminalReportResponse');
  }

  /** One page of the whole catalogue (the till's offline copy); `after` is the previous page's `next`. */
  cataloguePage(after: string | null) {
    return this.http.get(`${API_PREFIX}/products/catalogue`, 'CataloguePage', { query: { after: after ?? undefined } });
  }

  /** The heartbeat: the server's liveness, the cheapest round trip there is (no session, no database). */
  async ping(timeoutMs: number): Promise<number> {
    const started = performance.now();
    await this.http.get(HEALTH_PATH, 'HealthStatus', { timeoutMs });
    return Math.round(performance.now() - started);
  }
}
