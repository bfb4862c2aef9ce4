import { Type, type Static } from 'typebox';
import { LoyaltyRules, MEMBER_LEVELS, MemberTier, OrderLine, PRODUCT_PRICE_MAX_FEN, Refund, Tender, TierPrice } from './api.js';
import { LEDGER_KINDS } from './loyalty.js';
import { API_KEY_SCOPES, PERMISSIONS, STAFF_ROLES } from './back-office.js';

/**
 * The back office's API (/api/admin/v1, session cookie) and the integration API for the merchant's ERP
 * (/api/integration/v1, `Authorization: Bearer <api key>`): request and response schemas. The server
 * validates with them; the admin app imports only their types. The POS never imports this file.
 * Money is integer fen.
 */

export { ADMIN_API_PREFIX, ADMIN_SESSION_COOKIE, INTEGRATION_API_PREFIX, PRODUCT_CSV_COLUMNS } from './back-office.js';

const Iso = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 64 });

export const StaffRoleSchema = Type.Enum(STAFF_ROLES);
export const PermissionSchema = Type.Enum(Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]);

/** Usernames: what staff type at the login screen; compared case-insensitively (stored lower case). */
export const USERNAME_PATTERN = '^[A-Za-z0-9._-]{3,32}$';
/** Passwords: at least 10 characters; the upper bound keeps argon2's input (and a login body) small. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
const Username = Type.String({ pattern: USERNAME_PATTERN });
const NewPassword = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });

/** Lists: page numbers from 1; at most 100 rows a page. */
export const PageQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
    per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;
const PageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer({ minimum: 0 }) });
export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;

// ---- Session ----

/** POST /session */
export const LoginRequest = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }) },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const StaffUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: StaffRoleSchema,
  disabled: Type.Boolean(),
  created_at: Iso,
  last_login_at: Nullable(Iso),
});
export type StaffUser = Static<typeof StaffUser>;

/** POST /session and GET /session: who is logged in and what they may do. */
export const SessionInfo = Type.Object({ user: StaffUser, permissions: Type.Array(PermissionSchema), expires_at: Iso });
export type SessionInfo = Static<typeof SessionInfo>;

// ---- Staff (owner only) ----

export const StaffList = Type.Object({ items: Type.Array(StaffUser) });
export type StaffList = Static<typeof StaffList>;
export const CreateStaffRequest = Type.Object({ username: Username, role: StaffRoleSchema, password: NewPassword }, { additionalProperties: false });
export type CreateStaffRequest = Static<typeof CreateStaffRequest>;
/** PATCH /staff/{id}: a new role, disable/enable, or a new password (which ends the user's sessions). */
export const UpdateStaffRequest = Type.Object(
  { role: Type.Optional(StaffRoleSchema), disabled: Type.Optional(Type.Boolean()), password: Type.Optional(NewPassword) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateStaffRequest = Static<typeof UpdateStaffRequest>;

// ---- Audit (owner only) ----

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Iso,
  /** `staff:<username>`, `api-key:<name>` or `cli`. */
  actor: Type.String(),
  action: Type.String(),
  target_type: Type.String(),
  target_id: Nullable(Type.String()),
  /** What changed: before/after of the fields touched, counts for bulk work; never a secret. */
  summary: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntry = Static<typeof AuditEntry>;
export const AuditQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
    per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditList = PageOf(AuditEntry);
export type AuditList = Static<typeof AuditList>;

// ---- Terminals ----

export const TerminalVersions = Type.Object({
  extension: Nullable(Type.String()),
  host: Nullable(Type.String()),
  sdk: Nullable(Type.String()),
  reported_at: Iso,
});
export type TerminalVersions = Static<typeof TerminalVersions>;

export const AdminTerminal = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  store_name: Type.String(),
  device_id: Type.String(),
  created_at: Iso,
  revoked_at: Nullable(Iso),
  /** The last request of its POS session or its last report, whichever is later. */
  last_seen_at: Nullable(Iso),
  versions: Nullable(TerminalVersions),
  /** Face steps of the last 7 days; success_rate = recognised / attempts (null without attempts). */
  face: Type.Object({ attempts: Type.Integer(), recognised: Type.Integer(), success_rate: Nullable(Type.Number()) }),
});
export type AdminTerminal = Static<typeof AdminTerminal>;
export const TerminalQuery = Type.Object(
  { include_revoked: Type.Optional(Type.Boolean()), store_id: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })) },
  { additionalProperties: false },
);
export type TerminalQuery = Static<typeof TerminalQuery>;
export const AdminTerminalList = Type.Object({ items: Type.Array(AdminTerminal) });
export type AdminTerminalList = Static<typeof AdminTerminalList>;

export const Store = Type.Object({ id: Type.String(), name: Type.String() });
export type Store = Static<typeof Store>;
export const StoreList = Type.Object({ items: Type.Array(Store) });
export type StoreList = Static<typeof StoreList>;

/** POST /terminals: with `store_name` the store is created (or renamed); without it, it must exist. */
export const CreateTerminalRequest = Type.Object(
  {
    store_id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
    device_id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
    store_name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type CreateTerminalRequest = Static<typeof CreateTerminalRequest>;
/** POST /terminals and POST /terminals/{id}/pairing-code: the code to type on the POS (ABCD-EFGH), once. */
export const PairingCodeResponse = Type.Object({ terminal_id: Type.String(), pairing_code: Type.String(), expires_at: Iso });
export type PairingCodeResponse = Static<typeof PairingCodeResponse>;

// ---- Products ----

/** The protocol's bounds on a catalogue entry (the CSV import, the editor and the integration API share them). */
export { PRODUCT_PRICE_MAX_FEN, TierPrice } from './api.js';
export const BARCODE_PATTERN = '^[\\x21-\\x7e]{1,32}$';
export const PRODUCT_NAME_MAX = 128;
const Fen = Type.Integer({ minimum: 0, maximum: PRODUCT_PRICE_MAX_FEN });

/** One catalogue entry as the import and the integration API give it (matched by barcode). */
export const ProductInput = Type.Object(
  {
    barcode: Type.String({ pattern: BARCODE_PATTERN }),
    name: Type.String({ minLength: 1, maxLength: PRODUCT_NAME_MAX }),
    name_en: Type.Optional(Nullable(Type.String({ maxLength: PRODUCT_NAME_MAX }))),
    price_fen: Fen,
    member_price_fen: Type.Optional(Nullable(Fen)),
  },
  { additionalProperties: false },
);
export type ProductInput = Static<typeof ProductInput>;

export const AdminProduct = Type.Object({
  id: Type.String(),
  barcode: Type.String(),
  name: Type.String(),
  name_en: Nullable(Type.String()),
  price_fen: Type.Integer(),
  member_price_fen: Nullable(Type.Integer()),
  /** Prices per member level, lowest level first ([] for none). */
  tier_prices: Type.Array(TierPrice),
  created_at: Iso,
});
export type AdminProduct = Static<typeof AdminProduct>;
export const AdminProductList = PageOf(AdminProduct);
export type AdminProductList = Static<typeof AdminProductList>;

/**
 * PATCH /products/{id}: `member_price_fen: null` removes the member price; `tier_prices` replaces the
 * product's tier prices (one per level at most, none above the price; [] removes them).
 */
export const UpdateProductRequest = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: PRODUCT_NAME_MAX })),
    name_en: Type.Optional(Nullable(Type.String({ maxLength: PRODUCT_NAME_MAX }))),
    price_fen: Type.Optional(Fen),
    member_price_fen: Type.Optional(Nullable(Fen)),
    tier_prices: Type.Optional(Type.Array(TierPrice, { maxItems: MEMBER_LEVELS.length })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProductRequest = Static<typeof UpdateProductRequest>;

/** POST /products/import (text/csv, header PRODUCT_CSV_COLUMNS); `?dry_run=1` checks without writing. */
export const ImportQuery = Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type ImportQuery = Static<typeof ImportQuery>;
/** Why a row is refused; `field` and `problem` let the admin app say it in the user's language. */
export const IMPORT_PROBLEMS = ['header', 'columns', 'required', 'not_integer', 'too_large', 'too_long', 'invalid', 'member_above_price', 'duplicate', 'too_many_rows'] as const;
export const ImportError = Type.Object({
  line: Type.Integer({ minimum: 1 }),
  message: Type.String(),
  field: Type.Optional(Type.String()),
  problem: Type.Optional(Type.Enum(IMPORT_PROBLEMS)),
});
export type ImportError = Static<typeof ImportError>;
/**
 * `ok`: every row is good (and, without dry_run, written). `rows`: data rows read. Nothing is written
 * unless every row is good. `created`/`updated`: what the import did (or would do).
 */
export const ImportResult = Type.Object({
  ok: Type.Boolean(),
  dry_run: Type.Boolean(),
  rows: Type.Integer({ minimum: 0 }),
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  errors: Type.Array(ImportError),
});
export type ImportResult = Static<typeof ImportResult>;

// ---- Members ----

const Level = Type.Enum(MEMBER_LEVELS);
export const AdminMember = Type.Object({
  id: Type.String(),
  nickname: Type.String(),
  /** In full: the back office edits it (the till only ever sees it masked). */
  phone: Nullable(Type.String()),
  /** The tier: reached by spend over 12 months, or granted by staff (as of the member's last activity). */
  level: Level,
  /** The level staff granted, a floor under the tier (null: none). */
  level_granted: Nullable(Level),
  points: Type.Integer(),
  /** Whether a WeChat face is linked (the openid itself never leaves the server). */
  has_face: Type.Boolean(),
  created_at: Iso,
  /** Set when the member was merged into another (`merged_into`): closed, never found by the till. */
  closed_at: Nullable(Iso),
  merged_into: Nullable(Type.String()),
});
export type AdminMember = Static<typeof AdminMember>;
export const AdminMemberList = PageOf(AdminMember);
export type AdminMemberList = Static<typeof AdminMemberList>;

export const LedgerKindSchema = Type.Enum(LEDGER_KINDS);
/** One row of the points ledger: a change of a member's points, and the balance after it. */
export const LedgerEntry = Type.Object({
  id: Type.Integer(),
  kind: LedgerKindSchema,
  /** + credited, − debited. */
  points: Type.Integer(),
  /** The member's balance after this row. */
  balance: Type.Integer(),
  order_id: Type.Optional(Type.String()),
  refund_id: Type.Optional(Type.String()),
  /** Adjustments: why (required); refunds: the refund's reason; merges: the other member. */
  reason: Type.Optional(Type.String()),
  /** merge_in: the member the points came from; merge_out: the member they went to. */
  related_member_id: Type.Optional(Type.String()),
  /** Who made the change by hand (`staff:<username>`), for adjustments and merges. */
  actor: Type.Optional(Type.String()),
  /** When the points of a credit were earned (their age for expiry; a merge keeps it). */
  earned_at: Iso,
  created_at: Iso,
});
export type LedgerEntry = Static<typeof LedgerEntry>;
export const LedgerPage = PageOf(LedgerEntry);
export type LedgerPage = Static<typeof LedgerPage>;
/** Rows of the ledger on the member's page (newest first); the rest: GET /members/{id}/ledger?page=. */
export const MEMBER_LEDGER_PAGE = 20;
/**
 * GET /members/{id}: the member with `points` and `ledger` (fixed shape, outside tools rely on it): the
 * newest MEMBER_LEDGER_PAGE rows of the ledger and their total count, and the tier with progress.
 */
export const MemberDetail = Type.Intersect([AdminMember, Type.Object({ ledger: Type.Array(LedgerEntry), ledger_total: Type.Integer({ minimum: 0 }), tier: MemberTier })]);
export type MemberDetail = Static<typeof MemberDetail>;

/** POST /members/{id}/points: credit (+) or debit (−) points by hand, with a reason (never IT). */
export const AdjustPointsRequest = Type.Object(
  {
    /** Not 0 (the server says so). */
    points: Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000 }),
    reason: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export type AdjustPointsRequest = Static<typeof AdjustPointsRequest>;
export const AdjustPointsResponse = Type.Object({ entry: LedgerEntry, member: AdminMember });
export type AdjustPointsResponse = Static<typeof AdjustPointsResponse>;

/**
 * POST /members/{id}/merge {duplicate_id}: the duplicate's points (with their ages), orders and face move to
 * this member; the duplicate is closed and points here. Both sides are in the ledger.
 */
export const MergeMembersRequest = Type.Object({ duplicate_id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export type MergeMembersRequest = Static<typeof MergeMembersRequest>;
export const MergeMembersResponse = Type.Object({ member: AdminMember, moved_points: Type.Integer(), moved_orders: Type.Integer() });
export type MergeMembersResponse = Static<typeof MergeMembersResponse>;

/** PATCH /members/{id}: `level` is the level staff grant (a floor under the tier); `phone: null` removes it. */
export const UpdateMemberRequest = Type.Object(
  { level: Type.Optional(Level), phone: Type.Optional(Nullable(Type.String({ pattern: '^1[3-9][0-9]{9}$' }))) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMemberRequest = Static<typeof UpdateMemberRequest>;

export const AdminOrder = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  terminal_id: Type.String(),
  member_id: Nullable(Type.String()),
  lines: Type.Array(OrderLine),
  /** Paid in money (after member prices and points). */
  total_fen: Type.Integer(),
  discount_fen: Type.Integer(),
  points_earned: Type.Integer(),
  redeemed_points: Type.Integer(),
  redemption_fen: Type.Integer(),
  /** Money refunded so far. */
  refunded_fen: Type.Integer(),
  /** How it was paid (null for an order recorded without a tender). */
  tender: Nullable(Tender),
  created_at: Iso,
});
export type AdminOrder = Static<typeof AdminOrder>;
export const AdminOrderList = PageOf(AdminOrder);
export type AdminOrderList = Static<typeof AdminOrderList>;

/** GET /orders/{id}: the order, its refunds, and what each line may still refund. */
export const AdminOrderDetail = Type.Object({
  order: AdminOrder,
  refunds: Type.Array(Refund),
  refundable: Type.Array(Type.Object({ line_no: Type.Integer({ minimum: 1 }), quantity: Type.Integer({ minimum: 0 }) })),
});
export type AdminOrderDetail = Static<typeof AdminOrderDetail>;

// ---- Loyalty rules ----

/** GET /loyalty (PUT /loyalty takes the rules): the rules and who changed them last (null: the defaults). */
export const LoyaltySettings = Type.Object({ rules: LoyaltyRules, updated_at: Nullable(Iso), updated_by: Nullable(Type.String()) });
export type LoyaltySettings = Static<typeof LoyaltySettings>;

// ---- Reports ----

/**
 * A date range in the store's calendar: `from` and `to` are dates (inclusive), `utc_offset` the stores'
 * offset from UTC in whole hours (default +8, China). `format=csv` answers the same rows as CSV.
 */
export const ReportQuery = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    utc_offset: Type.Optional(Type.Integer({ minimum: -12, maximum: 14, default: 8 })),
    bucket: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

/** GET /reports/sales: per day or week (weeks start on Monday). */
export const SalesRow = Type.Object({
  period: Type.String(),
  orders: Type.Integer(),
  total_fen: Type.Integer(),
  member_orders: Type.Integer(),
  member_total_fen: Type.Integer(),
});
export type SalesRow = Static<typeof SalesRow>;
export const SalesReport = Type.Object({ rows: Type.Array(SalesRow) });
export type SalesReport = Static<typeof SalesReport>;

/** GET /reports/face: face steps per store and terminal. recognised = member_found + not_member + enrolled. */
export const FaceRow = Type.Object({
  store_id: Type.String(),
  terminal_id: Type.String(),
  device_id: Type.String(),
  attempts: Type.Integer(),
  recognised: Type.Integer(),
  member_found: Type.Integer(),
  enrolled: Type.Integer(),
  cancelled: Type.Integer(),
  failed: Type.Integer(),
});
export type FaceRow = Static<typeof FaceRow>;
export const FaceReport = Type.Object({ rows: Type.Array(FaceRow) });
export type FaceReport = Static<typeof FaceReport>;

/** GET /reports/enrolments: new members per day or week. */
export const EnrolmentRow = Type.Object({ period: Type.String(), members: Type.Integer() });
export const EnrolmentReport = Type.Object({ rows: Type.Array(EnrolmentRow) });
export type EnrolmentReport = Static<typeof EnrolmentReport>;

/** GET /reports/top-products: by quantity sold. */
export const TopProductRow = Type.Object({ product_id: Type.String(), name: Type.String(), quantity: Type.Integer(), total_fen: Type.Integer() });
export const TopProductReport = Type.Object({ rows: Type.Array(TopProductRow) });
export type TopProductReport = Static<typeof TopProductReport>;

// ---- API keys (integration) ----

export const ApiKeyScopeSchema = Type.Enum(API_KEY_SCOPES);
export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** The key's first characters, to tell keys apart (the rest is never stored). */
  prefix: Type.String(),
  scopes: Type.Array(ApiKeyScopeSchema),
  created_by: Type.String(),
  created_at: Iso,
  last_used_at: Nullable(Iso),
  revoked_at: Nullable(Iso),
});
export type ApiKey = Static<typeof ApiKey>;
export const ApiKeyList = Type.Object({ items: Type.Array(ApiKey) });
export type ApiKeyList = Static<typeof ApiKeyList>;
export const CreateApiKeyRequest = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }), scopes: Type.Array(ApiKeyScopeSchema, { minItems: 1, uniqueItems: true }) },
  { additionalProperties: false },
);
export type CreateApiKeyRequest = Static<typeof CreateApiKeyRequest>;
/** The answer to POST /api-keys: the key itself, shown this once. */
export const CreatedApiKey = Type.Intersect([ApiKey, Type.Object({ key: Type.String() })]);
export type CreatedApiKey = Static<typeof CreatedApiKey>;

// ---- Integration API (/api/integration/v1) ----

export const INTEGRATION_UPSERT_MAX = 1000;
/** PUT /products: upsert by barcode, all or nothing. */
export const UpsertProductsRequest = Type.Object(
  { items: Type.Array(ProductInput, { minItems: 1, maxItems: INTEGRATION_UPSERT_MAX }) },
  { additionalProperties: false },
);
export type UpsertProductsRequest = Static<typeof UpsertProductsRequest>;
export const UpsertProductsResponse = Type.Object({ created: Type.Integer(), updated: Type.Integer() });
export type UpsertProductsResponse = Static<typeof UpsertProductsResponse>;

/** GET /orders?since=<cursor>: orders after the cursor, oldest first; pass next_cursor back for the next page. */
export const OrderFeedQuery = Type.Object(
  { since: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
  { additionalProperties: false },
);
export type OrderFeedQuery = Static<typeof OrderFeedQuery>;
export const OrderFeed = Type.Object({
  items: Type.Array(AdminOrder),
  /** Where the next call starts; the same cursor again when there is nothing new. */
  next_cursor: Type.String(),
});
export type OrderFeed = Static<typeof OrderFeed>;
