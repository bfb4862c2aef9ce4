import { describe, expect, it } from 'vitest';
import { isStaffRole, permissionsOf, PERMISSIONS, roleCan, STAFF_ROLES, type Permission } from './back-office.js';

describe('the back office role table', () => {
  it('gives staff management and the audit log to the owner alone', () => {
    expect(PERMISSIONS['staff.manage']).toEqual(['owner']);
    expect(roleCan('manager', 'staff.manage')).toBe(false);
    expect(roleCan('it', 'audit.read')).toBe(false);
  });

  it('never lets IT adjust points, merge members or read them', () => {
    for (const p of ['points.adjust', 'members.merge', 'members.read', 'members.edit'] as const) expect(roleCan('it', p)).toBe(false);
    expect(roleCan('manager', 'points.adjust')).toBe(true);
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
