import { describe, expect, it } from 'vitest';
import { BRIDGE_CHANNEL, isOnBridgeChannel, validateBridgeReady, validateBridgeRequest, validateBridgeResponse } from './bridge.js';

describe('bridge messages', () => {
  it('recognises only our channel', () => {
    expect(isOnBridgeChannel({ channel: BRIDGE_CHANNEL, type: 'ready' })).toBe(true);
    expect(isOnBridgeChannel({ channel: 'other' })).toBe(false);
    expect(isOnBridgeChannel('pos-face')).toBe(false);
    expect(isOnBridgeChannel(null)).toBe(false);
  });

  it('validates requests and drops unknown keys', () => {
    const request = validateBridgeRequest({ channel: 'pos-face', type: 'request', id: '1', method: 'call', params: { cmd: 'x' }, junk: 1 });
    expect(request).toEqual({ channel: 'pos-face', type: 'request', id: '1', method: 'call', params: { cmd: 'x' } });
    expect(() => validateBridgeRequest({ channel: 'pos-face', type: 'request', id: '1', method: 'exec' })).toThrow(/method/);
    expect(() => validateBridgeRequest({ channel: 'pos-face', type: 'response', id: '1', method: 'hello' })).toThrow(/type/);
  });

  it('validates responses and ready announcements', () => {
    const error = validateBridgeResponse({ channel: 'pos-face', type: 'response', id: '1', ok: false, error: { code: 'BUSY', message: 'b' } });
    expect(error).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(() => validateBridgeResponse({ channel: 'pos-face', type: 'response', id: '1' })).toThrow(/ok/);
    expect(validateBridgeReady({ channel: 'pos-face', type: 'ready', version: '0.1.0' }).version).toBe('0.1.0');
    expect(() => validateBridgeReady({ channel: 'pos-face', type: 'ready', version: 1 })).toThrow(/version/);
  });
});
