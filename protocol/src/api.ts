import { Type, type Static } from 'typebox';
import { ERROR_CODES } from './errors.js';
import { ORDER_LINES_MAX, ORDER_QUANTITY_MAX } from './http.js';
import { LOYALTY_LIMITS, MEMBER_LEVELS } from './loyalty.js';
import { PHONE_PATTERN } from './phone.js';
import { ASK_UNIONID_VALUES, LIMITS } from './sdk.js';
import { TENDER_METHODS, TENDER_RECEIVED_MAX_FEN } from './tender.js';
import { FACE_EVENTS_PER_REPORT_MAX, FACE_OUTCOMES } from './terminal-report.js';

/**
 * The merchant server's HTTP API (/api/v1): request and response schemas. The server validates
 * requests and shapes answers with them; the POS checks the answers it receives with them
 * (web/src/api/answers.ts). Money is integer fen (1 yuan = 100 fen).
 */

export const ErrorBody = Type.Object({
  error: Type.Object({
    // Type.Enum, not a Union of mapped literals: the latter's static type collapses to `never`.
    code: Type.Enum(ERROR_CODES),
    message: Type.String(),
    returnCode: Type.Optional(Type.String()),
    returnMsg: Type.Optional(Type.String()),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** GET /api/v1/terminal: who this terminal is and what the page passes to the SDK. */
export const TerminalInfo = Type.Object({
  store: Type.Object({ id: Type.String(), name: Type.String() }),
  device_id: Type.String(),
  face: Type.Object({
    appid: Type.String({ maxLength: LIMITS.appid }),
    mch_id: Type.String({ maxLength: LIMITS.mch_id }),
    sub_appid: Type.Optional(Type.String({ maxLength: LIMITS.sub_appid })),
    sub_mch_id: Type.Optional(Type.String({ maxLength: LIMITS.sub_mch_id })),
    store_id: Type.String({ maxLength: LIMITS.store_id }),
    ask_unionid: Type.Enum(ASK_UNIONID_VALUES),
    screen_index: Type.String({ pattern: '^[1-9]$' }),
    /** Aggregated-payment terminals free the camera after each session. */
    release_after_session: Type.Boolean(),
  }),
});
export type TerminalInfo = Static<typeof TerminalInfo>;

/** POST /api/v1/pair (no authentication): the code IT gave; spaces, dashes and lower case are accepted. */
export const PairRequest = Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false });
export type PairRequest = Static<typeof PairRequest>;
/** The answer sets the session cookie (HttpOnly: the page never sees it) and says whom it paired. */
export const PairResponse = Type.Object({
  store: Type.Object({ id: Type.String(), name: Type.String() }),
  device_id: Type.String(),
  /** When the session ends unless the terminal is used before then (each use extends it). */
  session_expires_at: Type.String({ format: 'date-time' }),
});
export type PairResponse = Static<typeof PairResponse>;

/** POST /api/v1/face/authinfo */
export const AuthinfoRequest = Type.Object(
  { rawdata: Type.String({ minLength: 1, maxLength: LIMITS.rawdata }) },
  { additionalProperties: false },
);
export type AuthinfoRequest = Static<typeof AuthinfoRequest>;
export const AuthinfoResponse = Type.Object({
  authinfo: Type.String({ maxLength: LIMITS.authinfo }),
  /** Seconds the authinfo is still valid for, from now. */
  expires_in: Type.Integer({ minimum: 0 }),
  /** Unix time (seconds) at which the authinfo expires. */
  expires_at: Type.Integer(),
});
export type AuthinfoResponse = Static<typeof AuthinfoResponse>;

/**
 * WeChat ids (openid, sub_openid, unionid): printable ASCII (WeChat's are 28 letters, digits, "_" and "-"),
 * at most this long. The server's path-parameter limit is derived from it, so whatever can be enrolled can
 * be looked up.
 */
export const OPENID_MAX_LENGTH = 128;
const WechatId = Type.String({ minLength: 1, maxLength: OPENID_MAX_LENGTH, pattern: '^[\\x21-\\x7e]+$' });

export { MEMBER_LEVELS, type MemberLevel } from './loyalty.js';
const Level = Type.Enum(MEMBER_LEVELS);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/**
 * A member's tier as the member card shows it: the level (reached by spend over the last 12 months, or
 * granted by staff), its points multiplier, the spend, and how much more reaches the next level (null at
 * the top, or when no higher level is reached by spend).
 */
export const MemberTier = Type.Object({
  level: Level,
  /** 100 = ×1, 150 = ×1.5. */
  multiplier_pct: Type.Integer({ minimum: 0 }),
  /** Money paid over the last 12 months, less refunds (fen). */
  spend_fen: Type.Integer({ minimum: 0 }),
  next: Nullable(Type.Object({ level: Level, threshold_fen: Type.Integer({ minimum: 0 }), remaining_fen: Type.Integer({ minimum: 0 }) })),
});
export type MemberTier = Static<typeof MemberTier>;

/**
 * A member as the till shows them, and all any member route answers: no openid, sub_openid or unionid
 * (personal data the till either has already from the face step or never needs), the phone masked.
 */
export const Member = Type.Object({
  id: Type.String(),
  nickname: Type.String(),
  /** Masked for display: 138****5678. */
  phone: Type.Union([Type.String(), Type.Null()]),
  level: Level,
  points: Type.Integer({ minimum: 0 }),
  /** The tier and progress to the next (this server always sends it; optional for older servers). */
  tier: Type.Optional(MemberTier),
});
export type Member = Static<typeof Member>;

export const MemberList = Type.Object({ items: Type.Array(Member) });
export type MemberList = Static<typeof MemberList>;

/** GET /api/v1/members/by-openid/{openid}: the member, or null for a face that is not a member yet. */
export const MemberLookup = Type.Object({ member: Type.Union([Member, Type.Null()]) });
export type MemberLookup = Static<typeof MemberLookup>;

/** POST /api/v1/members: enrolment, usually straight after a face that is not a member yet. */
export const CreateMemberRequest = Type.Object(
  {
    openid: Type.Optional(WechatId),
    sub_openid: Type.Optional(WechatId),
    unionid: Type.Optional(WechatId),
    nickname: Type.String({ minLength: 1, maxLength: 64 }),
    phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN })),
  },
  { additionalProperties: false },
);
export type CreateMemberRequest = Static<typeof CreateMemberRequest>;

/** The catalogue's bound on a price (the CSV import, the editor and the integration API share it). */
export const PRODUCT_PRICE_MAX_FEN = 1_000_000_000;
/** A product's price for members of one level (and, by the pricing rule, the levels above it). */
export const TierPrice = Type.Object({ level: Level, price_fen: Type.Integer({ minimum: 0, maximum: PRODUCT_PRICE_MAX_FEN }) }, { additionalProperties: false });
export type TierPrice = Static<typeof TierPrice>;

export const Product = Type.Object({
  id: Type.String(),
  barcode: Type.String(),
  name: Type.String(),
  name_en: Type.Union([Type.String(), Type.Null()]),
  price_fen: Type.Integer({ minimum: 0 }),
  /** Null when the product has no member price. */
  member_price_fen: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** Prices per member level, lowest level first (this server always sends them, [] for none). */
  tier_prices: Type.Optional(Type.Array(TierPrice)),
});
export type Product = Static<typeof Product>;

export const ProductList = Type.Object({ items: Type.Array(Product) });
export type ProductList = Static<typeof ProductList>;

/**
 * GET /api/v1/products/catalogue?after=&limit=: the whole catalogue a page at a time, in id order, for the
 * till's offline copy. `next` is the `after` of the next page, null on the last.
 */
export const CATALOGUE_PAGE_MAX = 1000;
export const CatalogueQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: CATALOGUE_PAGE_MAX, default: CATALOGUE_PAGE_MAX })),
  },
  { additionalProperties: false },
);
export type CatalogueQuery = Static<typeof CatalogueQuery>;
export const CataloguePage = Type.Object({ items: Type.Array(Product), next: Type.Union([Type.String(), Type.Null()]) });
export type CataloguePage = Static<typeof CataloguePage>;

export const ProductQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    barcode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  { additionalProperties: false },
);
export type ProductQuery = Static<typeof ProductQuery>;

export const Recommendation = Type.Object({
  product: Product,
  /** `frequent`: what this member buys most (90 days); `bestseller`: the store's best-sellers. */
  reason: Type.Union([Type.Literal('frequent'), Type.Literal('bestseller')]),
  count: Type.Integer({ minimum: 0 }),
});
export type Recommendation = Static<typeof Recommendation>;
export const RecommendationList = Type.Object({ items: Type.Array(Recommendation) });
export type RecommendationList = Static<typeof RecommendationList>;

const Fen = Type.Integer({ minimum: 0, maximum: TENDER_RECEIVED_MAX_FEN });
/**
 * How the sale was paid (protocol/src/tender.ts has the rule): cash with the amount received (and the change,
 * which the server computes and checks against the total it prices), or another method by name, no amounts.
 */
export const Tender = Type.Object(
  {
    method: Type.Enum(TENDER_METHODS),
    received_fen: Type.Optional(Fen),
    change_fen: Type.Optional(Fen),
  },
  { additionalProperties: false },
);
export type Tender = Static<typeof Tender>;

/**
 * POST /api/v1/orders with an `Idempotency-Key` header. Prices come from the server, never the client. The
 * till always sends the tender; an order without one (an API script) is recorded with none.
 * A sale the till completed while the server was unreachable arrives later from its outbox with the moment it
 * was sold (`sold_at`) and, for a face the till could not recognise offline, the face's `customer_openid`
 * instead of a `member_id`: the server finds the member then (list prices, as charged; points credited once).
 */
export const CreateOrderRequest = Type.Object(
  {
    member_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    customer_openid: Type.Optional(WechatId),
    /** When the till completed the sale (its clock); at most ORDER_MAX_AGE_DAYS old, a future one is taken as now. */
    sold_at: Type.Optional(Type.String({ format: 'date-time' })),
    /**
     * Points the member redeems for a discount (never offline: the server checks the balance). In steps of
     * the redemption rule, at most its share of the order: else 422 REDEMPTION_NOT_ALLOWED; more than the
     * balance: 409 POINTS_INSUFFICIENT.
     */
    redeem_points: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    tender: Type.Optional(Tender),
    lines: Type.Array(
      Type.Object(
        { product_id: Type.String({ minLength: 1, maxLength: 64 }), quantity: Type.Integer({ minimum: 1, maximum: ORDER_QUANTITY_MAX }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: ORDER_LINES_MAX },
    ),
  },
  { additionalProperties: false },
);
export type CreateOrderRequest = Static<typeof CreateOrderRequest>;


export const OrderLine = Type.Object({
  product_id: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  unit_price_fen: Type.Integer(),
  line_total_fen: Type.Integer(),
});
export type OrderLine = Static<typeof OrderLine>;

export const Order = Type.Object({
  id: Type.String(),
  member_id: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(OrderLine),
  /** What the customer pays in money (after member prices and points). */
  total_fen: Type.Integer(),
  /** What member and tier prices saved against list prices. */
  discount_fen: Type.Integer(),
  points_earned: Type.Integer(),
  /** The member's balance after this order (null without a member). */
  member_points: Type.Union([Type.Integer(), Type.Null()]),
  /** How it was paid, as the server settled it (null for an order recorded without one). */
  tender: Type.Union([Tender, Type.Null()]),
  /** When the server booked it. */
  created_at: Type.String({ format: 'date-time' }),
  /** When the till sold it: earlier than `created_at` for a sale synced from an offline till. */
  sold_at: Type.String({ format: 'date-time' }),
  // This server always sends the fields below; they are optional so a till works with an older server.
  /** Points redeemed on this order, and the discount they bought (total_fen is after it). */
  redeemed_points: Type.Optional(Type.Integer({ minimum: 0 })),
  redemption_fen: Type.Optional(Type.Integer({ minimum: 0 })),
  /** The member's level after this order (a threshold crossed shows here); null without a member. */
  member_level: Type.Optional(Nullable(Level)),
});
export type Order = Static<typeof Order>;

// ---- The loyalty program: rules, refunds ----

export const LoyaltyTier = Type.Object(
  {
    level: Level,
    /** Spend over the last 12 months (fen) that reaches this level; null: only staff grant it. Standard: 0. */
    threshold_fen: Nullable(Type.Integer({ minimum: 0, maximum: LOYALTY_LIMITS.thresholdFenMax })),
    /** Points multiplier in percent: 100 = ×1, 150 = ×1.5. */
    multiplier_pct: Type.Integer({ minimum: 0, maximum: LOYALTY_LIMITS.multiplierPctMax }),
  },
  { additionalProperties: false },
);
export type LoyaltyTier = Static<typeof LoyaltyTier>;

/**
 * The merchant's loyalty rules (GET /api/v1/loyalty/rules for the till; edited in the back office). Beyond
 * this schema, protocol's loyaltyRulesProblem() checks the tiers. The arithmetic: pricing.ts, refunds.ts.
 */
export const LoyaltyRules = Type.Object(
  {
    /** Points per yuan paid in money (0: nothing is earned). */
    points_per_yuan: Type.Integer({ minimum: 0, maximum: LOYALTY_LIMITS.pointsPerYuanMax }),
    /** N points = ¥1 when redeemed. */
    redeem_points_per_yuan: Type.Integer({ minimum: 1, maximum: LOYALTY_LIMITS.redeemPointsPerYuanMax }),
    /** At most this share of an order (after member prices) paid with points; 0: redemption is off. */
    redeem_max_share_pct: Type.Integer({ minimum: 0, maximum: 100 }),
    /** One per level, lowest first. */
    tiers: Type.Array(LoyaltyTier, { minItems: 1, maxItems: 8 }),
    /** Points expire this many months after they were earned; null: never. */
    expiry_months: Nullable(Type.Integer({ minimum: 1, maximum: LOYALTY_LIMITS.expiryMonthsMax })),
  },
  { additionalProperties: false },
);
export type LoyaltyRules = Static<typeof LoyaltyRules>;

/** A refund reason: what the cashier or the manager typed (optional). */
const RefundReason = Type.String({ minLength: 1, maxLength: 200 });

/**
 * POST /api/v1/orders/{id}/refunds (terminal) and /api/admin/v1/orders/{id}/refunds (manager), with an
 * `Idempotency-Key` header (required: a retry returns the first refund). Without `lines`: everything not
 * refunded yet. `line_no` is the line's place in the order's `lines` (1 = the first, as on the receipt).
 */
export const RefundRequest = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          { line_no: Type.Integer({ minimum: 1, maximum: ORDER_LINES_MAX }), quantity: Type.Integer({ minimum: 1, maximum: ORDER_QUANTITY_MAX }) },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: ORDER_LINES_MAX },
      ),
    ),
    reason: Type.Optional(RefundReason),
  },
  { additionalProperties: false },
);
export type RefundRequest = Static<typeof RefundRequest>;

export const RefundLine = Type.Object({
  line_no: Type.Integer({ minimum: 1 }),
  product_id: Type.String(),
  name: Type.String(),
  quantity: Type.Integer({ minimum: 1 }),
  unit_price_fen: Type.Integer(),
  /** unit price × quantity: the goods back, before the share of the points discount. */
  goods_fen: Type.Integer(),
});
export type RefundLine = Static<typeof RefundLine>;

/** A refund, with what the till prints on its receipt. */
export const Refund = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  member_id: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(RefundLine),
  /** Σ goods_fen of the lines. */
  goods_fen: Type.Integer(),
  /** Money back: the goods less their share of the points discount (docs/loyalty.md). */
  refund_fen: Type.Integer(),
  /** Points the order earned, taken back from the balance. */
  points_reversed: Type.Integer({ minimum: 0 }),
  /** Points the order redeemed, given back to the balance. */
  points_restored: Type.Integer({ minimum: 0 }),
  /** Points that should have been taken back but had been spent already (the balance stays ≥ 0). */
  points_unrecovered: Type.Integer({ minimum: 0 }),
  /** The member's balance and level after the refund (null without a member). */
  member_points: Type.Union([Type.Integer(), Type.Null()]),
  member_level: Type.Union([Level, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  /** `terminal:<device id>` or `staff:<username>`. */
  refunded_by: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
});
export type Refund = Static<typeof Refund>;

/**
 * GET /api/v1/orders/{id} (the till, to refund a receipt's order): the order, its refunds so far, and what
 * can still be refunded per line.
 */
export const OrderDetail = Type.Object({
  order: Order,
  refunds: Type.Array(Refund),
  refundable: Type.Array(Type.Object({ line_no: Type.Integer({ minimum: 1 }), quantity: Type.Integer({ minimum: 0 }) })),
  /** Σ refund_fen of the refunds. */
  refunded_fen: Type.Integer({ minimum: 0 }),
});
export type OrderDetail = Static<typeof OrderDetail>;

// ---- Path, query and header shapes of the routes above ----

/** GET /api/v1/members/by-openid/{openid} */
export const OpenidParams = Type.Object({ openid: WechatId });
export type OpenidParams = Static<typeof OpenidParams>;

/** GET /api/v1/members/{id}/recommendations */
export const MemberIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type MemberIdParams = Static<typeof MemberIdParams>;

/** GET /api/v1/members?phone= (exact mainland mobile number). */
export const MemberPhoneQuery = Type.Object(
  { phone: Type.String({ pattern: PHONE_PATTERN }) },
  { additionalProperties: false },
);
export type MemberPhoneQuery = Static<typeof MemberPhoneQuery>;

export const RecommendationQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 6 })) },
  { additionalProperties: false },
);
export type RecommendationQuery = Static<typeof RecommendationQuery>;

/** The `Idempotency-Key` header value: the POS sends a fresh UUID per sale and repeats it on retries. */
const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{8,128}$';
export const OrderHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN })),
});
export type OrderHeaders = Static<typeof OrderHeaders>;
/** A refund's key is required: a refund sent twice must be made once. */
export const RefundHeaders = Type.Object({ 'idempotency-key': Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN }) });
export type RefundHeaders = Static<typeof RefundHeaders>;
/** GET /api/v1/orders/{id}, POST /api/v1/orders/{id}/refunds */
export const OrderIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type OrderIdParams = Static<typeof OrderIdParams>;

/** GET /healthz and /readyz */
export const HealthStatus = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type HealthStatus = Static<typeof HealthStatus>;

/**
 * POST /api/v1/face/authinfo?refresh=true: the SDK rejected the authinfo it was given (AuthInfo License
 * Error), so the server drops its cached one for this terminal and asks WeChat again (still one call for
 * concurrent requests). Use only on such a rejection, not routinely.
 */
export const AuthinfoQuery = Type.Object(
  { refresh: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type AuthinfoQuery = Static<typeof AuthinfoQuery>;

/**
 * POST /api/v1/terminal/report (terminal authentication): the till's versions and the outcome of its face
 * steps, for the back office. Each event has the till's own id (a UUID), so a report sent twice counts once.
 * No openid, nickname or member id: nothing here identifies a customer.
 */
export const TerminalReportRequest = Type.Object(
  {
    versions: Type.Optional(
      Type.Object(
        {
          extension: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
          host: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
          sdk: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        },
        { additionalProperties: false },
      ),
    ),
    face_events: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ pattern: '^[A-Za-z0-9-]{8,64}$' }),
            at: Type.String({ format: 'date-time' }),
            outcome: Type.Enum(FACE_OUTCOMES),
            /** For `failed`: the error code the till saw. */
            error_code: Type.Optional(Type.Enum(ERROR_CODES)),
          },
          { additionalProperties: false },
        ),
        { maxItems: FACE_EVENTS_PER_REPORT_MAX },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TerminalReportRequest = Static<typeof TerminalReportRequest>;
/** accepted: new events stored; duplicates: events with an id this terminal reported before. */
export const TerminalReportResponse = Type.Object({ accepted: Type.Integer({ minimum: 0 }), duplicates: Type.Integer({ minimum: 0 }) });
export type TerminalReportResponse = Static<typeof TerminalReportResponse>;
