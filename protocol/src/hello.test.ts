import { describe, expect, it } from 'vitest';
import type { FaceError } from './index.js';
import { checkHostProtocol, HOST_PROTOCOL_VERSION, SDK_TIMEOUT_MS, validateHelloResult } from './index.js';

const good = () => ({
  protocol: HOST_PROTOCOL_VERSION,
  host: { name: 'com.posface.wxpayface', version: '0.1.0' },
  sdk: { loaded: true, path: '/x/lib.so', arch: 'x64', error: null },
  timeouts: { ...SDK_TIMEOUT_MS },
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as FaceError).code;
  }
  return 'none';
}

describe('validateHelloResult', () => {
  it('accepts a host hello', () => {
    expect(validateHelloResult(good()).host.version).toBe('0.1.0');
  });
  it('calls another protocol number VERSION_MISMATCH, even when the rest differs', () => {
    expect(codeOf(() => validateHelloResult({ protocol: HOST_PROTOCOL_VERSION + 1 }))).toBe('VERSION_MISMATCH');
    expect(codeOf(() => validateHelloResult({ ...good(), protocol: String(HOST_PROTOCOL_VERSION) }))).toBe('HOST_ERROR');
  });
  it('calls a malformed answer HOST_ERROR naming the field', () => {
    const bad = { ...good(), timeouts: { ...SDK_TIMEOUT_MS, getWxpayfaceUserInfo: 0 } };
    expect(() => validateHelloResult(bad)).toThrow(/hello\.timeouts\.getWxpayfaceUserInfo/);
    expect(codeOf(() => validateHelloResult(bad))).toBe('HOST_ERROR');
    expect(codeOf(() => validateHelloResult({ ...good(), sdk: { loaded: 'yes' } }))).toBe('HOST_ERROR');
    expect(codeOf(() => validateHelloResult(null))).toBe('HOST_ERROR');
  });
});

describe('checkHostProtocol (the page: the extension checked the rest)', () => {
  it('refuses only another protocol number', () => {
    expect(codeOf(() => checkHostProtocol({ ...good(), protocol: HOST_PROTOCOL_VERSION + 1 }))).toBe('VERSION_MISMATCH');
    expect(codeOf(() => checkHostProtocol(good()))).toBe('none');
  });
});
