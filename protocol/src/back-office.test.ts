import { describe, expect, it } from 'vitest';
import { isStaffRole, permissionsOf, PERMISSIONS, roleCan, STAFF_ROLES, type Permission } from './back-office.js';

describe('the back office role table', () => {
  it('gives staff management and the audit log to the owner alone', () => {
    expect(PERMISSIONS['staff.manage']).toEqual(['owner']);
    expect(roleCan('manager', 'staff.manage')).toBe(false);
    expect(roleCan('it', 'audit.read')).toBe(false);
  });

  it('never lets IT adjust points, merge members, read them, refund or set the loyalty rules', () => {
    for (const p of ['points.adjust', 'members.merge', 'members.read', 'members.edit', 'orders.refund', 'loyalty.manage'] as const) expect(roleCan('it', p)).toBe(false);
    for (const p of ['points.adjust', 'members.merge', 'orders.refund', 'loyalty.manage'] as const) expect(roleCan('manager', p)).toBe(true);
  });

  it('lets every role pair terminals and read reports, and grants nothing it does not list', () => {
    for (const role of STAFF_ROLES) {
      expect(roleCan(role, 'terminals.manage')).toBe(true);
      expect(roleCan(role, 'reports.read')).toBe(true);
      expect(roleCan(role, 'constructor' as Permission)).toBe(false);
      expect(permissionsOf(role).every((p) => roleCan(role, p))).toBe(true);
    }
    expect(permissionsOf('owner')).toEqual(Object.keys(PERMISSIONS));
    expect(isStaffRole('admin')).toBe(false);
    expect(isStaffRole('__proto__')).toBe(false);
  });
});
