import { describe, expect, it } from 'vitest';
import { answerTimeoutMs, HELLO_TIMEOUT_MS, SDK_COMMANDS, SDK_TIMEOUT_MS } from './index.js';

describe('answerTimeoutMs', () => {
  it('has each outer layer wait longer than the one inside it', () => {
    for (const cmd of SDK_COMMANDS) {
      expect(answerTimeoutMs('host', cmd)).toBe(SDK_TIMEOUT_MS[cmd]);
      expect(answerTimeoutMs('extension', cmd)).toBeGreaterThan(answerTimeoutMs('host', cmd));
      expect(answerTimeoutMs('page', cmd)).toBeGreaterThan(answerTimeoutMs('extension', cmd));
    }
    expect(answerTimeoutMs('page', 'hello')).toBeGreaterThan(answerTimeoutMs('extension', 'hello'));
    expect(answerTimeoutMs('extension', 'hello')).toBe(HELLO_TIMEOUT_MS);
  });

  it("starts from the host's own timeouts when its hello gave them", () => {
    const timeouts = { ...SDK_TIMEOUT_MS, getWxpayfaceUserInfo: 90_000 };
    expect(answerTimeoutMs('host', 'getWxpayfaceUserInfo', timeouts)).toBe(90_000);
    expect(answerTimeoutMs('page', 'getWxpayfaceUserInfo', timeouts) - answerTimeoutMs('page', 'getWxpayfaceUserInfo')).toBe(30_000);
    expect(answerTimeoutMs('extension', 'stopWxpayface', null)).toBe(answerTimeoutMs('extension', 'stopWxpayface'));
  });
});
