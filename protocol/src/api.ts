import { Type, type Static } from 'typebox';
import { ERROR_CODES } from './errors.js';
import { ORDER_LINES_MAX, ORDER_QUANTITY_MAX } from './http.js';
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

export const MEMBER_LEVELS = ['standard', 'silver', 'gold', 'platinum'] as const;
export type MemberLevel = (typeof MEMBER_LEVELS)[number];

/**
 * A member as the till shows them, and all any member route answers: no openid, sub_openid or unionid
 * (personal data the till either has already from the face step or never needs), the phone masked.
 */
export const Member = Type.Object({
  id: Type.String(),
  nickname: Type.String(),
  /** Masked for display: 138****5678. */
  phone: Type.Union([Type.String(), Type.Null()]),
  level: Type.Enum(MEMBER_LEVELS),
  points: Type.Integer({ minimum: 0 }),
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

export const Product = Type.Object({
  id: Type.String(),
  barcode: Type.String(),
  name: Type.String(),
  name_en: Type.Union([Type.String(), Type.Null()]),
  price_fen: Type.Integer({ minimum: 0 }),
  /** Null when the product has no member price. */
  member_price_fen: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
});
export type Product = Static<typeof Product>;

export const ProductList = Type.Object({ items: Type.Array(Product) });
export type ProductList = Static<typeof ProductList>;

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
 */
export const CreateOrderRequest = Type.Object(
  {
    member_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
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
  /** What the customer pays. */
  total_fen: Type.Integer(),
  /** What member prices saved against list prices. */
  discount_fen: Type.Integer(),
  points_earned: Type.Integer(),
  /** The member's balance after this order (null without a member). */
  member_points: Type.Union([Type.Integer(), Type.Null()]),
  /** How it was paid, as the server settled it (null for an order recorded without one). */
  tender: Type.Union([Tender, Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
});
export type Order = Static<typeof Order>;

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
