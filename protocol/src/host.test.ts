import { describe, expect, it } from 'vitest';
import { FaceError } from './errors.js';
import { validateHostRequest, validateHostResponse } from './host.js';

function rejection(value: unknown): FaceError {
  try {
    validateHostRequest(value);
  } catch (error) {
    if (error instanceof FaceError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('validateHostRequest', () => {
  it('accepts hello and call', () => {
    expect(validateHostRequest({ id: 'r-17', method: 'hello' })).toEqual({ id: 'r-17', method: 'hello' });
    expect(validateHostRequest({ id: 'r-18', method: 'call', params: { cmd: 'getWxpayfaceRawdata' } })).toEqual({
      id: 'r-18',
      method: 'call',
      params: { cmd: 'getWxpayfaceRawdata' },
    });
  });

  it('keeps the id of a request it rejects, so the caller can be answered', () => {
    const error = rejection({ id: 'r-19', method: 'call', params: { cmd: 'nope' } });
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.details).toMatchObject({ id: 'r-19', field: 'params.cmd' });
    expect(rejection({ id: 'r-20', method: 'sing' }).details).toMatchObject({ id: 'r-20', field: 'method' });
  });

  it.each([
    [null, 'request: must be an object'],
    [{ method: 'hello' }, 'id: must be a string'],
    [{ id: '', method: 'hello' }, 'id: must not be empty'],
    [{ id: 'x'.repeat(65), method: 'hello' }, 'id: must be at most 64'],
    [{ id: 'a', method: 'hello', extra: 1 }, 'extra: is not a known field'],
    [{ id: 'a', method: 'call' }, 'params: must be an object, got undefined'],
  ])('rejects %j', (value, message) => {
    expect(rejection(value).message).toContain(message);
  });
});

describe('validateHostResponse', () => {
  it('accepts results and errors, normalising the error', () => {
    expect(validateHostResponse({ id: 'a', ok: true, result: { x: 1 } })).toEqual({ id: 'a', ok: true, result: { x: 1 } });
    expect(validateHostResponse({ id: null, ok: false, error: { code: 'INVALID_REQUEST', message: 'bad' } })).toEqual({
      id: null,
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'bad' },
    });
  });

  it('rejects a response without ok or result', () => {
    expect(() => validateHostResponse({ id: 'a', result: 1 })).toThrow(/ok: must be true or false/);
    expect(() => validateHostResponse({ id: 'a', ok: true })).toThrow(/result: is required/);
    expect(() => validateHostResponse(Object.assign(Object.create({ result: 'inherited' }) as object, { id: 'a', ok: true }))).toThrow(/result: is required/);
    expect(() => validateHostResponse({ id: 'a', ok: false, error: { code: 'X' } })).toThrow(/error.message/);
  });
});
