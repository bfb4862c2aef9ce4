import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@posface/protocol';
import { FACE_PHASES } from '../stores/face.js';
import { en } from './en.js';
import { makeI18n } from './index.js';
import { zhCN } from './zh-CN.js';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)).sort();
}

describe('i18n', () => {
  it('en and zh-CN have exactly the same keys', () => {
    expect(keys(en)).toEqual(keys(zhCN));
  });

  it('every error code has a message and what to do, in both languages', () => {
    for (const messages of [zhCN, en]) {
      for (const code of ERROR_CODES) {
        expect(messages.errors[code]?.message, code).toMatch(/\S/);
        expect(messages.errors[code]?.advice, code).toMatch(/\S/);
      }
    }
  });

  it('every face phase has a title in both languages', () => {
    for (const messages of [zhCN, en]) for (const phase of FACE_PHASES) expect(messages.face.phase[phase]).toBeTruthy();
  });

  it('every message compiles and renders (no key falls through as itself)', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const i18n = makeI18n(locale);
      for (const key of keys(zhCN)) {
        const out = i18n.global.t(key, { n: 2, q: 'x', name: 'x', total: '¥1.00', points: 1, balance: 2, min: 3, store: 's', device: 'd' });
        expect(out, `${locale}:${key}`).not.toBe(key);
      }
    }
  });

  it('zh-CN is the default and interpolates', () => {
    const i18n = makeI18n();
    expect(i18n.global.t('cart.items', { n: 3 })).toBe('共 3 件');
  });
});
