import { describe, expect, it } from 'vitest';
import { LIMITS, MAX_INBOUND_FRAME_BYTES, SDK_FIELDS, validateSdkCall } from '@posface/protocol';
import { nativeFrameBytes } from './frame-size.js';

describe('nativeFrameBytes', () => {
  it('counts the UTF-8 bytes of the JSON, not characters', () => {
    expect(nativeFrameBytes({ a: 'x' })).toBe('{"a":"x"}'.length);
    expect(nativeFrameBytes({ a: '中' })).toBe(9 + 2);
    expect(nativeFrameBytes({ a: '😀' })).toBe(9 + 3);
    expect(nativeFrameBytes({ a: '\u0001' })).toBe(9 + 5);
    expect(nativeFrameBytes({ a: '"' })).toBe(9 + 1);
    expect(nativeFrameBytes({ a: '\ud800' })).toBe(9 + 5);
  });

  it('a valid getWxpayfaceUserInfo at every limit, in the costliest characters, fits the host frame', () => {
    // A control character is the costliest to write: 6 bytes ("\u0001") for one UTF-16 unit.
    const worst = '\u0001';
    const params: Record<string, unknown> = { cmd: 'getWxpayfaceUserInfo', face_authtype: 'FACEID-ONCE', ask_unionid: '1', screen_index: '9', use_window_nofocus: '1' };
    for (const [name, spec] of Object.entries(SDK_FIELDS.getWxpayfaceUserInfo)) {
      if (spec.type === 'string' && spec.max !== undefined && !spec.pattern && !spec.oneOf) params[name] = worst.repeat(spec.max);
    }
    expect((params.authinfo as string).length).toBe(LIMITS.authinfo);
    const frame = { method: 'call', params: validateSdkCall(params), id: 'x-9999999999' };
    expect(nativeFrameBytes(frame)).toBeLessThan(MAX_INBOUND_FRAME_BYTES);
  });
});
