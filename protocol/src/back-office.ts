/**
 * The back office's constants. Its roles and what each may do are one table, read by the server (every
 * admin route names its permission) and by the admin app (which menus and buttons to show). Plain
 * constants, so the admin app imports them from '@posface/protocol' without TypeBox.
 */

export const STAFF_ROLES = ['owner', 'manager', 'it'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PERMISSIONS = {
  /** Create staff accounts, change roles, reset passwords, disable accounts. */
  'staff.manage': ['owner'],
  /** Read the audit log. */
  'audit.read': ['owner'],
  /** Provision terminals (pairing codes), list them, revoke them. */
  'terminals.manage': ['owner', 'manager', 'it'],
  'products.read': ['owner', 'manager', 'it'],
  /** Edit prices, import the catalogue. */
  'products.write': ['owner', 'manager'],
  /** Members are personal data: the people who run the store, not IT. */
  'members.read': ['owner', 'manager'],
  /** Level and phone. */
  'members.edit': ['owner', 'manager'],
  /** Points with a reason (a row of the points ledger); never IT. */
  'points.adjust': ['owner', 'manager'],
  /** Merge two member records (their orders and points move; the duplicate is closed). */
  'members.merge': ['owner', 'manager'],
  /** Refund an order, whole or some of its lines (the money and the points). */
  'orders.refund': ['owner', 'manager'],
  /** The loyalty rules: points per yuan, redemption, tiers, expiry. */
  'loyalty.manage': ['owner', 'manager'],
  'reports.read': ['owner', 'manager', 'it'],
  /** Keys for the merchant's ERP scripts (the integration API). */
  'api_keys.manage': ['owner', 'it'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

/** Whether `role` holds `permission` (own keys only: an unknown name is never granted). */
export function roleCan(role: StaffRole, permission: Permission): boolean {
  return Object.hasOwn(PERMISSIONS, permission) && (PERMISSIONS[permission] as readonly StaffRole[]).includes(role);
}

/** Every permission of a role (what the server tells the admin app at login). */
export function permissionsOf(role: StaffRole): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => roleCan(role, p));
}

/** What an integration API key may do; a key holds one or more. */
export const API_KEY_SCOPES = ['products:write', 'orders:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Paths the admin app and outside tools rely on. */
export const ADMIN_API_PREFIX = '/api/admin/v1';
export const INTEGRATION_API_PREFIX = '/api/integration/v1';
/** The back office's session cookie (HttpOnly; Secure; SameSite=Strict; Path=/api/admin). */
export const ADMIN_SESSION_COOKIE = 'posface_admin';
/** The product CSV's header, in this order (import and export). */
export const PRODUCT_CSV_COLUMNS = ['barcode', 'name', 'name_en', 'price_fen', 'member_price_fen'] as const;
