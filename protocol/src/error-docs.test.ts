import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { statusForCode } from './http.js';

// docs/error-codes.md is the codes' reference for people: it must name every code, with the status the
// server really answers.
const doc = readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)` \| (—|\d{3}) \|/gm)].map((m) => [m[1] as string, m[2] as string]),
);

describe('docs/error-codes.md', () => {
  it('has one row per code, and nothing else', () => {
    expect([...rows.keys()].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives each server code the HTTP status the server answers with', () => {
    for (const code of ERROR_CODES) {
      const documented = rows.get(code);
      const status = statusForCode(code);
      if (status !== 500 || code === 'INTERNAL_ERROR') expect(documented, code).toBe(String(status));
      else expect(documented, code).toBe('—');
    }
  });
});
