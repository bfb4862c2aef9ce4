import { API_PREFIX, IDEMPOTENCY_KEY_HEADER, PAIR_PATH, SESSION_PATH } from '@posface/protocol';
import type {
  AuthinfoResponse,
  CreateMemberRequest,
  CreateOrderRequest,
  Member,
  MemberList,
  Order,
  PairResponse,
  ProductList,
  RecommendationList,
  TerminalInfo,
} from '@posface/protocol/api';
import { FaceError } from '@posface/protocol';
import type { HttpClient } from './http.js';
import { shortHash } from '../privacy.js';

/** The merchant server's /api/v1 routes the POS uses, one typed method each. */
export class PosApi {
  constructor(private readonly http: HttpClient) {}

  /** Redeems IT's one-time code; the answer sets this browser's session cookie. */
  pair(code: string): Promise<PairResponse> {
    return this.http.post<PairResponse>(`${API_PREFIX}${PAIR_PATH}`, { code });
  }

  /** Ends this browser's session (the terminal stays provisioned; pairing again needs a new code). */
  unpair(): Promise<void> {
    return this.http.delete(`${API_PREFIX}${SESSION_PATH}`);
  }

  terminal(): Promise<TerminalInfo> {
    return this.http.get<TerminalInfo>(`${API_PREFIX}/terminal`);
  }

  /** `refresh` makes the server drop its cached authinfo first (after the SDK rejected it). */
  authinfo(rawdata: string, options: { refresh: boolean } = { refresh: false }): Promise<AuthinfoResponse> {
    const query = options.refresh ? '?refresh=true' : '';
    return this.http.post<AuthinfoResponse>(`${API_PREFIX}/face/authinfo${query}`, { rawdata });
  }

  /** The member with this openid, or null when the face is not a member yet. */
  async memberByOpenid(openid: string): Promise<Member | null> {
    try {
      return await this.http.get<Member>(`${API_PREFIX}/members/by-openid/${encodeURIComponent(openid)}`, {
        label: `${API_PREFIX}/members/by-openid/#${shortHash(openid)}`,
      });
    } catch (error) {
      if (error instanceof FaceError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async membersByPhone(phone: string): Promise<Member[]> {
    const list = await this.http.get<MemberList>(`${API_PREFIX}/members`, { query: { phone } });
    return list.items;
  }

  createMember(request: CreateMemberRequest): Promise<Member> {
    return this.http.post<Member>(`${API_PREFIX}/members`, request);
  }

  async recommendations(memberId: string): Promise<RecommendationList['items']> {
    const list = await this.http.get<RecommendationList>(
      `${API_PREFIX}/members/${encodeURIComponent(memberId)}/recommendations`,
    );
    return list.items;
  }

  async searchProducts(q: string, limit: number): Promise<ProductList['items']> {
    const list = await this.http.get<ProductList>(`${API_PREFIX}/products`, { query: { q, limit } });
    return list.items;
  }

  async productsByBarcode(barcode: string): Promise<ProductList['items']> {
    const list = await this.http.get<ProductList>(`${API_PREFIX}/products`, { query: { barcode } });
    return list.items;
  }

  /** The same key for a retry of the same sale, so a lost answer never books the sale twice. */
  createOrder(request: CreateOrderRequest, idempotencyKey: string): Promise<Order> {
    return this.http.post<Order>(`${API_PREFIX}/orders`, request, {
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
    });
  }

  /** A cheap authenticated round trip for the status bar. */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.terminal();
    return Math.round(performance.now() - started);
  }
}
