import { describe, expect, it } from 'vitest';
import { ERROR_CODES, FaceError, isErrorCode } from './errors.js';

describe('FaceError', () => {
  it('round-trips through JSON with every field', () => {
    const error = new FaceError('AUTHINFO_INVALID', 'getWxpayfaceUserInfo: PARAM_ERROR AuthInfo License Error', {
      returnCode: 'PARAM_ERROR',
      returnMsg: 'AuthInfo License Error',
      details: { id: 'r-1' },
    });
    const back = FaceError.fromJSON(JSON.parse(JSON.stringify(error)));
    expect(back).toBeInstanceOf(FaceError);
    expect(back).toBeInstanceOf(Error);
    expect(back.toJSON()).toEqual(error.toJSON());
    expect(back.returnMsg).toBe('AuthInfo License Error');
  });

  it('leaves out absent optional fields', () => {
    expect(JSON.parse(JSON.stringify(new FaceError('BUSY', 'busy')))).toEqual({ code: 'BUSY', message: 'busy' });
  });

  it('turns an unknown code or garbage into the fallback code instead of throwing', () => {
    expect(FaceError.fromJSON({ code: 'NOPE', message: 'x' }).code).toBe('HOST_ERROR');
    expect(FaceError.fromJSON({ code: 'NOPE', message: 'x' }, 'SDK_ERROR').code).toBe('SDK_ERROR');
    expect(FaceError.fromJSON('boom').message).toContain('boom');
    expect(FaceError.fromJSON(null).code).toBe('HOST_ERROR');
  });

  it('wraps foreign errors and keeps FaceErrors as they are', () => {
    const face = new FaceError('TIMEOUT', 't');
    expect(FaceError.wrap(face)).toBe(face);
    const wrapped = FaceError.wrap(new TypeError('bad'), 'INTERNAL_ERROR');
    expect(wrapped.code).toBe('INTERNAL_ERROR');
    expect(wrapped.message).toBe('bad');
    expect(wrapped.cause).toBeInstanceOf(TypeError);
  });

  it('knows exactly the shared codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    expect(isErrorCode('USER_CANCELLED')).toBe(false);
    expect(isErrorCode(1)).toBe(false);
  });
});
