import type { Generated } from 'kysely';

/** The tables as Kysely sees them. Times are ISO-8601 UTC strings (sortable as text on both engines). */

export interface StoresTable {
  id: string;
  name: string;
  created_at: string;
}

export interface TerminalsTable {
  id: string;
  store_id: string;
  device_id: string;
  /**
   * sha256 hex of the bearer token (API clients, scripts); the token itself is never stored. A terminal
   * that pairs by code only holds `none:<id>` here, which no token hashes to.
   */
  token_hash: string;
  ask_unionid: string;
  screen_index: string;
  /** 0 | 1 */
  release_after_session: number;
  created_at: string;
  revoked_at: string | null;
}

/** One-time pairing codes: at most one per terminal (a new code replaces the last). */
export interface TerminalPairingCodesTable {
  terminal_id: string;
  /** scrypt of the normalised code (auth/pairing-code.ts). */
  code_hash: string;
  created_at: string;
  expires_at: string;
  /** Set when a browser paired with it; the row stays so a second try can say "already used". */
  used_at: string | null;
}

/** Browser sessions of paired terminals (the POS's cookie): one per terminal. */
export interface TerminalSessionsTable {
  id: string;
  /** sha256 hex of the cookie's secret. */
  secret_hash: string;
  terminal_id: string;
  created_at: string;
  /** Last request, to the hour (the session slides: it ends after SESSION_IDLE of no use). */
  last_seen_at: string;
  expires_at: string;
}

export interface MembersTable {
  id: string;
  openid: string | null;
  sub_openid: string | null;
  unionid: string | null;
  nickname: string;
  phone: string | null;
  /** The tier as last computed (spend over 12 months, or level_granted when higher): lists and reports read it. */
  level: string;
  /** The level staff granted: a floor under the tier (null: none). */
  level_granted: string | null;
  /** Always the sum of the member's points_ledger rows (kept so in the same transaction). */
  points: number;
  created_at: string;
  /** A member merged into another is closed, and points at the survivor. */
  closed_at: string | null;
  merged_into: string | null;
}

export interface ProductsTable {
  id: string;
  barcode: string;
  name: string;
  name_en: string | null;
  price_fen: number;
  member_price_fen: number | null;
  created_at: string;
}

export interface OrdersTable {
  id: string;
  store_id: string;
  terminal_id: string;
  member_id: string | null;
  idempotency_key: string | null;
  /** sha256 of the canonical request, to tell a retry from a different order under the same key. */
  request_hash: string;
  /** Paid in money: after member prices and the points redeemed. */
  total_fen: number;
  discount_fen: number;
  points_earned: number;
  member_points: number | null;
  /** protocol's TENDER_METHODS; null for an order recorded without a tender (before 0006, or an API script). */
  tender_method: string | null;
  /** Cash only. */
  tender_received_fen: number | null;
  tender_change_fen: number | null;
  /** When the server booked it (the integration API's feed follows this). */
  created_at: string;
  /** When the till sold it: earlier than created_at for a sale synced from an offline till. */
  sold_at: string;
  redeemed_points: number;
  redemption_fen: number;
  /** Money refunded so far (Σ refunds.refund_fen). */
  refunded_fen: number;
  /** The member's level after the order. */
  member_level: string | null;
}

export interface OrderLinesTable {
  order_id: string;
  line_no: number;
  product_id: string;
  name: string;
  quantity: number;
  unit_price_fen: number;
  line_total_fen: number;
  /** Never above quantity (a conditional update makes sure). */
  refunded_quantity: number;
}

export interface RefundsTable {
  id: string;
  order_id: string;
  member_id: string | null;
  /** `terminal:<id>` or `staff:<username>`: the scope of the idempotency key. */
  requested_by: string;
  idempotency_key: string;
  request_hash: string;
  goods_fen: number;
  refund_fen: number;
  points_reversed: number;
  points_restored: number;
  points_unrecovered: number;
  member_points: number | null;
  member_level: string | null;
  reason: string | null;
  /** What the receipt and the back office show: `terminal:<device id>` or `staff:<username>`. */
  refunded_by: string;
  created_at: string;
}

export interface RefundLinesTable {
  refund_id: string;
  line_no: number;
  quantity: number;
}

/** Every change of a member's points; a member's points is the sum of their rows. Rows are never changed. */
export interface PointsLedgerTable {
  id: Generated<number>;
  member_id: string;
  kind: string;
  points: number;
  /** The member's balance after this row. */
  balance: number;
  /** When a credit's points were earned (= created_at, or the moved points' own time for merge_in). */
  earned_at: string;
  order_id: string | null;
  refund_id: string | null;
  related_member_id: string | null;
  reason: string | null;
  actor: string | null;
  created_at: string;
}

export interface ProductTierPricesTable {
  product_id: string;
  level: string;
  price_fen: number;
}

/** The merchant's loyalty rules: one row (id 1) once edited; none means the defaults. */
export interface LoyaltySettingsTable {
  id: number;
  /** JSON of protocol's LoyaltyRules. */
  rules: string;
  updated_at: string;
  updated_by: string;
}

/** How far a background job got (the tier refresh: orders aged out of the window up to this instant). */
export interface LoyaltyJobsTable {
  name: string;
  done_until: string;
}

/** Back-office accounts (owner, manager, IT). */
export interface StaffUsersTable {
  id: string;
  /** Lower case. */
  username: string;
  /** argon2id, PHC string. */
  password_hash: string;
  role: string;
  created_at: string;
  /** Sessions opened before this are ended (a reset password logs everyone out). */
  password_changed_at: string;
  last_login_at: string | null;
  disabled_at: string | null;
}

/** Back-office browser sessions: sha256 of the cookie's secret. */
export interface StaffSessionsTable {
  id: string;
  secret_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** Every change made in the back office or through the integration API. */
export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  /** JSON: before/after of what changed, never a secret. */
  summary: string;
}

/** Integration API keys: sha256 of the key; scopes comma-separated. */
export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** What each till last reported about its software. */
export interface TerminalStatusTable {
  terminal_id: string;
  extension_version: string | null;
  host_version: string | null;
  sdk_version: string | null;
  reported_at: string;
}

/** One face step's outcome at a till (never an openid). */
export interface FaceEventsTable {
  terminal_id: string;
  /** The till's own id for the event (a resent report counts once). */
  event_id: string;
  store_id: string;
  outcome: string;
  error_code: string | null;
  at: string;
  received_at: string;
}

export interface Database {
  stores: StoresTable;
  terminals: TerminalsTable;
  terminal_pairing_codes: TerminalPairingCodesTable;
  terminal_sessions: TerminalSessionsTable;
  members: MembersTable;
  products: ProductsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  terminal_status: TerminalStatusTable;
  face_events: FaceEventsTable;
  refunds: RefundsTable;
  refund_lines: RefundLinesTable;
  points_ledger: PointsLedgerTable;
  product_tier_prices: ProductTierPricesTable;
  loyalty_settings: LoyaltySettingsTable;
  loyalty_jobs: LoyaltyJobsTable;
}
