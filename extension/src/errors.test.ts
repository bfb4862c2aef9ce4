import { describe, expect, it } from 'vitest';
import { hostErrorFromLastError } from './errors.js';

describe('hostErrorFromLastError', () => {
  it("maps Chrome's native messaging texts to our codes and keeps the text", () => {
    const cases: Array<[string | undefined, string]> = [
      ['Specified native messaging host not found.', 'HOST_NOT_FOUND'],
      ['Access to the specified native messaging host is forbidden.', 'HOST_FORBIDDEN'],
      ['Native host has exited.', 'HOST_EXITED'],
      ['Error when communicating with the native messaging host.', 'HOST_ERROR'],
      [undefined, 'HOST_EXITED'],
    ];
    for (const [text, code] of cases) {
      const error = hostErrorFromLastError(text);
      expect(error.code).toBe(code);
      if (text) expect(error.details).toEqual({ lastError: text });
    }
  });
});
