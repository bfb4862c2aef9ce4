import { describe, expect, it } from 'vitest';
import { buildOriginList, isOriginAllowed, matchPatterns, originOfUrl, parseManagedOrigins, parseOriginRule } from './origins.js';

const rules = (list: string[]) => list.map(parseOriginRule);

describe('origins', () => {
  it('development builds add localhost and 127.0.0.1 on any port; production keeps POS_ORIGINS only', () => {
    expect(buildOriginList('https://pos.example.com', false)).toEqual(['https://pos.example.com', 'http://localhost:*', 'http://127.0.0.1:*']);
    expect(buildOriginList(' https://pos.example.com:443 , https://b.example.com:8443', true)).toEqual([
      'https://pos.example.com',
      'https://b.example.com:8443',
    ]);
    expect(() => buildOriginList('', true)).toThrow(/POS_ORIGINS/);
    expect(() => buildOriginList('pos.example.com', true)).toThrow(/"pos.example.com" is not an origin/);
    expect(() => buildOriginList('https://pos.example.com/path', true)).toThrow(/not an origin/);
  });

  it('matches scheme, host and port exactly unless the port is *', () => {
    const built = rules(['https://pos.example.com', 'http://127.0.0.1:*']);
    expect(isOriginAllowed('https://pos.example.com', built, null)).toBe(true);
    expect(isOriginAllowed('https://pos.example.com:8443', built, null)).toBe(false);
    expect(isOriginAllowed('http://pos.example.com', built, null)).toBe(false);
    expect(isOriginAllowed('https://evil.pos.example.com', built, null)).toBe(false);
    expect(isOriginAllowed('http://127.0.0.1:5173', built, null)).toBe(true);
    expect(isOriginAllowed('http://127.0.0.2:5173', built, null)).toBe(false);
    expect(isOriginAllowed('null', built, null)).toBe(false);
  });

  it('a managed list narrows and never widens', () => {
    const built = rules(['https://pos.example.com', 'https://b.example.com']);
    const managed = parseManagedOrigins(['https://b.example.com', 'https://other.example.com', 42, 'junk']);
    expect(managed.problems).toHaveLength(2);
    expect(isOriginAllowed('https://b.example.com', built, managed.rules)).toBe(true);
    expect(isOriginAllowed('https://pos.example.com', built, managed.rules)).toBe(false);
    expect(isOriginAllowed('https://other.example.com', built, managed.rules)).toBe(false);
    expect(parseManagedOrigins(undefined).rules).toBeNull();
    expect(parseManagedOrigins([]).rules).toEqual([]);
    expect(parseManagedOrigins('https://b.example.com').rules).toEqual([]);
  });

  it('content-script patterns and sender origins', () => {
    expect(matchPatterns(['http://localhost:*', 'https://pos.example.com:8443', 'https://pos.example.com'])).toEqual([
      'http://localhost/*',
      'https://pos.example.com:8443/*',
      'https://pos.example.com/*',
    ]);
    expect(originOfUrl('http://127.0.0.1:8080/pos/#/checkout')).toBe('http://127.0.0.1:8080');
    expect(originOfUrl(undefined)).toBeNull();
    expect(originOfUrl('about:blank')).toBeNull();
  });
});
