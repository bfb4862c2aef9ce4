import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './origin-policy.js';

describe('OriginPolicy', () => {
  it('narrows the build list by the managed value, re-read after invalidate()', async () => {
    let managed: unknown = undefined;
    let reads = 0;
    const policy = new OriginPolicy(['https://a.example.com', 'https://b.example.com'], async () => {
      reads += 1;
      return managed;
    }, () => undefined);
    expect(await policy.allows('https://a.example.com')).toBe(true);
    managed = ['https://b.example.com', 'https://c.example.com'];
    expect(await policy.allows('https://a.example.com')).toBe(true); // cached until invalidated
    policy.invalidate();
    expect(await policy.allows('https://a.example.com')).toBe(false);
    expect(await policy.allows('https://b.example.com')).toBe(true);
    expect(await policy.allows('https://c.example.com')).toBe(false);
    expect(reads).toBe(2);
  });

  it('falls back to the build list when managed storage cannot be read, with a warning', async () => {
    const warnings: string[] = [];
    const policy = new OriginPolicy(['https://a.example.com'], () => Promise.reject(new Error('no policy service')), (m) => warnings.push(m));
    expect(await policy.allows('https://a.example.com')).toBe(true);
    expect(await policy.allows('https://x.example.com')).toBe(false);
    expect(warnings[0]).toMatch(/no policy service/);
  });
});
