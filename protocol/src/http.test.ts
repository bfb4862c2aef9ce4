import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { codeForStatus, HTTP_STATUS, statusForCode } from './http.js';

describe('HTTP status ↔ error code', () => {
  it('gives each server code its status, and 500 to the rest', () => {
    expect(statusForCode('RATE_LIMITED')).toBe(429);
    expect(statusForCode('LIMIT_EXCEEDED')).toBe(422);
    expect(statusForCode('DATABASE_UNAVAILABLE')).toBe(503);
    expect(statusForCode('SDK_ERROR')).toBe(500);
    for (const code of Object.keys(HTTP_STATUS)) expect(ERROR_CODES).toContain(code);
  });

  it('reads a bare status back as the code the server would have sent', () => {
    const shared = new Set([401, 403, 409, 422, 503]);
    for (const [code, status] of Object.entries(HTTP_STATUS)) if (!shared.has(status)) expect(codeForStatus(status)).toBe(code);
    // A bare 401 is a missing or refused credential, not a pairing code; a proxy's 403 is no CSRF check of ours.
    expect(codeForStatus(401)).toBe('UNAUTHORIZED');
    expect(codeForStatus(403)).toBe('UNAUTHORIZED');
    // Statuses several codes share read back as the general one (the loyalty codes always come with a body).
    expect(codeForStatus(409)).toBe('CONFLICT');
    expect(codeForStatus(422)).toBe('LIMIT_EXCEEDED');
    // A bare 503 is as often a proxy's as the database's.
    expect(codeForStatus(503)).toBe('INTERNAL_ERROR');
    expect(codeForStatus(418)).toBe('INTERNAL_ERROR');
  });
});
