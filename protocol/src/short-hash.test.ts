import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shortHash } from './short-hash.js';

describe('shortHash', () => {
  it("is the first 12 hex digits of the value's SHA-256 (UTF-8), as Node's own crypto computes it", () => {
    for (const value of ['oSIM_0001_wangfang', '王芳', '', 'o😀']) {
      expect(shortHash(value)).toBe(`sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12)}`);
    }
    expect(shortHash('abc')).toBe('sha256:ba7816bf8f01');
  });

  it('tells close values apart', () => {
    expect(shortHash('oABC')).not.toBe(shortHash('oABD'));
  });
});
