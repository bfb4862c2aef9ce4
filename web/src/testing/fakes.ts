import {
  FaceError,
  isTenderProblem,
  maskPhone,
  DEFAULT_LOYALTY_RULES,
  priceOrder,
  refundDelta,
  reversalOnBalance,
  settleTender,
  type BridgeStatus,
  type ErrorCode,
  type FaceOutcome,
  type HelloResult,
  type SdkCommand,
  type UserInfoResult,
} from '@posface/protocol';
import type {
  AuthinfoResponse,
  CataloguePage,
  CreateOrderRequest,
  LoyaltyRules,
  Member,
  Order,
  OrderDetail,
  PairResponse,
  Product,
  Recommendation,
  Refund,
  RefundRequest,
  TerminalInfo,
  TerminalReportRequest,
} from '@posface/protocol/api';
import { AuthinfoSession } from '../face/index.js';
import type { FaceReportPort, ReportedVersions } from '../face-report.js';
import { openOfflineData, type OfflineData } from '../offline/index.js';
import { productLookups } from '../offline/product-lookups.js';
import type { FaceClientPort, PosApiPort, Services } from '../services.js';
import { useStatusStore } from '../stores/status.js';

/** Test doubles for the stores' outside world (unit tests only; e2e runs the real chain). */

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const TIMEOUTS = Object.fromEntries(
  ['initWxpayface', 'getWxpayfaceRawdata', 'getWxpayfaceUserInfo', 'releaseWxpayface', 'stopWxpayface'].map((c) => [c, 1000]),
) as Record<SdkCommand, number>;

export function hello(overrides: Partial<HelloResult['sdk']> = {}): HelloResult {
  return {
    protocol: 1,
    host: { name: 'com.posface.wxpayface', version: '0.1.0' },
    sdk: { loaded: true, path: '/sim/libwxpayface_sim.so', arch: 'x64', error: null, ...overrides },
    timeouts: TIMEOUTS,
    extension: { id: 'abc', version: '0.1.0' },
  };
}

/** Plays the extension + host + SDK: every userInfo waits until the test settles it. */
export class FakeFaceClient implements FaceClientPort {
  calls: string[] = [];
  detectResult: HelloResult | FaceError = hello();
  pending: Deferred<UserInfoResult>[] = [];
  userInfoParams: Record<string, unknown>[] = [];
  /** Like the real SDK: stopWxpayface makes the pending getWxpayfaceUserInfo end with USER_CANCEL. */
  cancelRejectsPending = true;
  initError: FaceError | null = null;

  async detect(): Promise<HelloResult> {
    this.calls.push('detect');
    if (this.detectResult instanceof FaceError) throw this.detectResult;
    return this.detectResult;
  }
  async init(): Promise<unknown> {
    this.calls.push('init');
    if (this.initError) throw this.initError;
    return { return_code: 'SUCCESS', return_msg: '' };
  }
  userInfo(params: Record<string, unknown>): Promise<UserInfoResult> {
    this.calls.push('userInfo');
    this.userInfoParams.push(params);
    const d = deferred<UserInfoResult>();
    this.pending.push(d);
    return d.promise;
  }
  async rawdata(): Promise<string> {
    this.calls.push('rawdata');
    return 'RAWDATA';
  }
  async release(): Promise<unknown> {
    this.calls.push('release');
    return { return_code: 'SUCCESS', return_msg: '' };
  }
  async cancel(): Promise<unknown> {
    this.calls.push('cancel');
    if (this.cancelRejectsPending) {
      for (const d of this.pending.splice(0)) d.reject(new FaceError('USER_CANCEL', 'user cancelled', { returnCode: 'USER_CANCEL' }));
    }
    return { return_code: 'SUCCESS', return_msg: '' };
  }
  private statusListeners = new Set<(status: BridgeStatus) => void>();
  onHostStatus(listener: (status: BridgeStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  /** Plays the extension's unasked news about the host. */
  hostStatus(status: BridgeStatus): void {
    for (const l of this.statusListeners) l(status);
  }
  /** Settles the oldest pending face step. */
  face(openid: string, nickname = 'Test'): void {
    const d = this.pending.shift();
    if (!d) throw new Error('no pending userInfo');
    d.resolve({ return_code: 'SUCCESS', return_msg: '', openid, nickname });
  }
  fail(error: FaceError): void {
    const d = this.pending.shift();
    if (!d) throw new Error('no pending userInfo');
    d.reject(error);
  }
}

export function product(id: string, price: number, memberPrice: number | null, barcode = `690000000${id}`): Product {
  return { id, barcode, name: `商品${id}`, name_en: `Product ${id}`, price_fen: price, member_price_fen: memberPrice };
}

/** A member as the fake server stores it: the openid and the full phone number stay server-side, like the real server's. */
export type StoredMember = Member & { openid: string | null };

export function member(id: string, openid: string | null, overrides: Partial<Member> = {}): StoredMember {
  return { id, openid, nickname: `Member ${id}`, phone: '13812345678', level: 'gold', points: 100, ...overrides };
}

/** What the server answers: the till's view, no openid, the phone masked. */
function view({ openid: _openid, ...shown }: StoredMember): Member {
  return { ...shown, phone: shown.phone === null ? null : maskPhone(shown.phone) };
}

export const TERMINAL: TerminalInfo = {
  store: { id: 'S001', name: '演示门店' },
  device_id: 'D001',
  face: {
    appid: 'wx1',
    mch_id: '1900000001',
    store_id: 'S001',
    ask_unionid: '0',
    screen_index: '2',
    release_after_session: false,
  },
};

/** An in-memory server: members by openid/phone, products, orders with idempotency. */
export class FakeApi implements PosApiPort {
  members: StoredMember[] = [];
  products: Product[] = [];
  recs: Recommendation[] = [];
  orders = new Map<string, Order>();
  orderRequests: { body: unknown; key: string }[] = [];
  authinfoCalls = 0;
  failNext: FaceError | null = null;
  terminalInfo: TerminalInfo = TERMINAL;
  pingMs = 3;

  private maybeFail(): void {
    const f = this.failNext;
    if (f) {
      this.failNext = null;
      throw f;
    }
  }
  /** The server's side of pairing: the one code it accepts, and whether this browser holds a session. */
  pairingCode = 'ABCDEFGH';
  session = false;
  /** Plays a browser that refuses the cookie (plain HTTP on a LAN address). */
  dropsCookie = false;
  pairCalls: string[] = [];
  async pair(code: string): Promise<PairResponse> {
    this.pairCalls.push(code);
    this.maybeFail();
    if (code !== this.pairingCode) throw new FaceError('PAIRING_CODE_INVALID', 'no such pairing code', { details: { reason: 'unknown' } });
    this.session = !this.dropsCookie;
    return { store: this.terminalInfo.store, device_id: this.terminalInfo.device_id, session_expires_at: '2026-04-01T00:00:00.000Z' };
  }
  async unpair(): Promise<void> {
    this.maybeFail();
    if (!this.session) throw new FaceError('UNAUTHORIZED', 'not paired', { details: { reason: 'missing' } });
    this.session = false;
  }
  async terminal(): Promise<TerminalInfo> {
    this.maybeFail();
    if (!this.session) throw new FaceError('UNAUTHORIZED', 'not paired', { details: { reason: 'missing' } });
    return this.terminalInfo;
  }
  /** While set, authinfo requests wait for it (the prewarm is "still on the network"). */
  authinfoGate: Deferred<void> | null = null;
  async authinfo(): Promise<AuthinfoResponse> {
    this.authinfoCalls += 1;
    if (this.authinfoGate) await this.authinfoGate.promise;
    this.maybeFail();
    return { authinfo: `AUTH-${this.authinfoCalls}`, expires_in: 7200, expires_at: Math.floor(Date.now() / 1000) + 7200 };
  }
  async memberByOpenid(openid: string): Promise<Member | null> {
    this.maybeFail();
    const found = this.members.find((m) => m.openid === openid);
    return found ? view(found) : null;
  }
  async membersByPhone(phone: string): Promise<Member[]> {
    this.maybeFail();
    return this.members.filter((m) => m.phone === phone).map(view);
  }
  async createMember(request: { openid?: string; nickname: string; phone?: string }): Promise<Member> {
    this.maybeFail();
    if (request.phone !== undefined && this.members.some((m) => m.phone === request.phone)) {
      throw new FaceError('CONFLICT', `the phone number ${maskPhone(request.phone)} already belongs to another member`, { details: { field: 'phone', reason: 'phone_taken' } });
    }
    const m = member(`m${this.members.length + 1}`, request.openid ?? null, {
      nickname: request.nickname,
      phone: request.phone ?? null,
      level: 'standard',
      points: 0,
    });
    this.members.push(m);
    return view(m);
  }
  async recommendations(): Promise<Recommendation[]> {
    return this.recs;
  }
  async searchProducts(q: string, limit: number): Promise<Product[]> {
    this.maybeFail();
    return this.products.filter((p) => p.name.includes(q) || (p.name_en ?? '').toLowerCase().includes(q.toLowerCase())).slice(0, limit);
  }
  /** While set, barcode lookups wait for it (a slow server at a busy till). */
  barcodeGate: Deferred<void> | null = null;
  async productsByBarcode(barcode: string): Promise<Product[]> {
    if (this.barcodeGate) await this.barcodeGate.promise;
    this.maybeFail();
    return this.products.filter((p) => p.barcode === barcode);
  }
  /** Like the server: the same key books once; a face found only now pays list prices and earns points. */
  async createOrder(request: CreateOrderRequest, key: string): Promise<Order> {
    this.orderRequests.push({ body: request, key });
    this.maybeFail();
    const existing = this.orders.get(key);
    if (existing) return existing;
    const foundLater = request.customer_openid === undefined ? null : (this.members.find((x) => x.openid === request.customer_openid) ?? null);
    const m = foundLater ?? this.members.find((x) => x.id === request.member_id) ?? null;
    const lines = request.lines.map((l) => {
      const product = this.products.find((x) => x.id === l.product_id);
      if (!product) throw new FaceError('NOT_FOUND', `no product ${l.product_id}`);
      return { product, quantity: l.quantity };
    });
    const priced = priceOrder(lines, { member: m !== null, memberPrices: foundLater === null, level: m?.level ?? 'standard', rules: this.rules, redeemPoints: request.redeem_points ?? 0 });
    if (m && priced.redeemedPoints > m.points) throw new FaceError('POINTS_INSUFFICIENT', 'not enough points', { details: { balance: m.points } });
    const tender = request.tender === undefined ? null : settleTender(request.tender, priced.totalFen);
    if (tender !== null && isTenderProblem(tender)) throw new FaceError('INVALID_REQUEST', `body.tender.${tender.message}`);
    if (m) m.points += priced.pointsEarned - priced.redeemedPoints;
    const createdAt = new Date().toISOString();
    const order: Order = {
      id: `o${this.orders.size + 1}`,
      member_id: m?.id ?? null,
      lines: priced.lines,
      total_fen: priced.totalFen,
      discount_fen: priced.memberSavingsFen,
      points_earned: priced.pointsEarned,
      member_points: m ? m.points : null,
      tender,
      created_at: createdAt,
      sold_at: request.sold_at ?? createdAt,
      redeemed_points: priced.redeemedPoints,
      redemption_fen: priced.redemptionFen,
      member_level: m?.level ?? null,
    };
    this.orders.set(key, order);
    return order;
  }
  /** The catalogue, `pageSize` products a page. */
  pageSize = 2;
  async cataloguePage(after: string | null): Promise<CataloguePage> {
    this.maybeFail();
    const sorted = [...this.products].sort((a, b) => (a.id < b.id ? -1 : 1));
    const items = sorted.filter((p) => after === null || p.id > after).slice(0, this.pageSize);
    return { items, next: items.length === this.pageSize ? (items.at(-1)?.id ?? null) : null };
  }
  rules: LoyaltyRules = DEFAULT_LOYALTY_RULES;
  rulesCalls = 0;
  async loyaltyRules(): Promise<LoyaltyRules> {
    this.rulesCalls += 1;
    this.maybeFail();
    return this.rules;
  }
  /** Refunds by idempotency key (a retry with the same key gets the first), per order. */
  refunds = new Map<string, Refund>();
  refundRequests: { orderId: string; body: RefundRequest; key: string }[] = [];
  private orderById(id: string): Order {
    const order = [...this.orders.values()].find((o) => o.id === id);
    if (!order) throw new FaceError('NOT_FOUND', `no order with id "${id}"`);
    return order;
  }
  private refundsOf(orderId: string): Refund[] {
    return [...this.refunds.values()].filter((r) => r.order_id === orderId);
  }
  async order(id: string): Promise<OrderDetail> {
    this.maybeFail();
    const order = this.orderById(id);
    const done = this.refundsOf(id);
    const refundable = order.lines.map((l, i) => ({
      line_no: i + 1,
      quantity: l.quantity - done.flatMap((r) => r.lines).filter((x) => x.line_no === i + 1).reduce((n, x) => n + x.quantity, 0),
    }));
    return { order, refunds: done, refundable, refunded_fen: done.reduce((n, r) => n + r.refund_fen, 0) };
  }
  async refund(orderId: string, body: RefundRequest, key: string): Promise<Refund> {
    this.refundRequests.push({ orderId, body, key });
    this.maybeFail();
    const replay = this.refunds.get(key);
    if (replay) return replay;
    const { order, refunds, refundable } = await this.order(orderId);
    const wanted = body.lines ?? refundable.filter((r) => r.quantity > 0);
    const lines = wanted.map(({ line_no, quantity }) => {
      const l = order.lines[line_no - 1];
      const left = refundable[line_no - 1]?.quantity ?? 0;
      if (!l || quantity > left) throw new FaceError('REFUND_EXCEEDS_SALE', `line ${line_no}: at most ${left}`);
      return { line_no, product_id: l.product_id, name: l.name, quantity, unit_price_fen: l.unit_price_fen, goods_fen: l.unit_price_fen * quantity };
    });
    const goods = lines.reduce((n, l) => n + l.goods_fen, 0);
    const basis = {
      goodsFen: order.lines.reduce((n, l) => n + l.line_total_fen, 0),
      paidFen: order.total_fen,
      pointsEarned: order.points_earned,
      redeemedPoints: order.redeemed_points ?? 0,
    };
    const share = refundDelta(basis, refunds.reduce((n, r) => n + r.goods_fen, 0), goods);
    const m = this.members.find((x) => x.id === order.member_id) ?? null;
    const onBalance = reversalOnBalance(m?.points ?? 0, share);
    if (m) m.points += share.pointsRestored - onBalance.reversed;
    const refund: Refund = {
      id: `r${this.refunds.size + 1}`,
      order_id: orderId,
      member_id: order.member_id,
      lines,
      goods_fen: goods,
      refund_fen: share.refundFen,
      points_reversed: onBalance.reversed,
      points_restored: share.pointsRestored,
      points_unrecovered: onBalance.unrecovered,
      member_points: m?.points ?? null,
      member_level: m?.level ?? null,
      reason: null,
      refunded_by: 'terminal:S001/D001',
      created_at: new Date().toISOString(),
    };
    this.refunds.set(key, refund);
    return refund;
  }
  reports: TerminalReportRequest[] = [];
  async terminalReport(report: TerminalReportRequest): Promise<{ accepted: number; duplicates: number }> {
    this.maybeFail();
    this.reports.push(report);
    return { accepted: report.face_events?.length ?? 0, duplicates: 0 };
  }
  async ping(): Promise<number> {
    this.maybeFail();
    return this.pingMs;
  }
}

/** Records what the face store reports, in order (the real FaceReporter is tested on its own). */
export class FakeReport implements FaceReportPort {
  outcomes: Array<[FaceOutcome, ErrorCode?]> = [];
  sentVersions: ReportedVersions[] = [];
  record(outcome: FaceOutcome, errorCode?: ErrorCode): void {
    this.outcomes.push(errorCode === undefined ? [outcome] : [outcome, errorCode]);
  }
  versions(versions: ReportedVersions): void {
    this.sentVersions.push(versions);
  }
}

export interface FakeWorld {
  api: FakeApi;
  face: FakeFaceClient;
  report: FakeReport;
  /** The real AuthinfoSession, over the fake client and API. */
  sessions: AuthinfoSession[];
  /** The real offline data, in a fresh fake-indexeddb database. */
  offline: OfflineData;
  services: Services;
}

let worlds = 0;

/** The stores' outside world; call setActivePinia before using the stores (the status store decides "offline"). */
export function fakeWorld(): FakeWorld {
  const api = new FakeApi();
  const face = new FakeFaceClient();
  const report = new FakeReport();
  const sessions: AuthinfoSession[] = [];
  worlds += 1;
  const offline = openOfflineData(`posface-test-${worlds}`);
  const { db: _db, ...kept } = offline;
  const services: Services = {
    api,
    face,
    report,
    createAuthinfoSession: (fetchAuthinfo, onChange) => {
      const s = new AuthinfoSession(face, fetchAuthinfo, { onChange });
      sessions.push(s);
      return s;
    },
    offline: kept,
    products: productLookups(api, offline.catalogue, () => useStatusStore().offline),
  };
  return { api, face, report, sessions, offline, services };
}
