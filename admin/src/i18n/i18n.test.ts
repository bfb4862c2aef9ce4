import { IMPORT_PROBLEMS } from '@posface/protocol/admin-api';
import { API_KEY_SCOPES, STAFF_ROLES } from '@posface/protocol';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

/** Every key path of a message tree ("a.b.c"). */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('admin i18n', () => {
  it('has the same keys in English as in Chinese (the source)', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('names every role, API key scope and import problem the protocol defines', () => {
    for (const messages of [zhCN, en]) {
      expect(Object.keys(messages.roles).sort()).toEqual([...STAFF_ROLES].sort());
      expect(Object.keys(messages.apiKeys.scopeNames).sort()).toEqual([...API_KEY_SCOPES].sort());
      expect(Object.keys(messages.products.problems).sort()).toEqual([...IMPORT_PROBLEMS].sort());
    }
  });
});
