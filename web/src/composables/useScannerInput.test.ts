import { describe, expect, it } from 'vitest';
import { ScannerBuffer } from './useScannerInput.js';

function typeKeys(buffer: ScannerBuffer, keys: string[], start: number, gap: number): (string | null)[] {
  return keys.map((k, i) => buffer.push(k, start + i * gap));
}

describe('ScannerBuffer', () => {
  it('returns the code when a fast burst ends with Enter', () => {
    const b = new ScannerBuffer();
    const out = typeKeys(b, [...'6901234567892', 'Enter'], 1000, 5);
    expect(out.at(-1)).toBe('6901234567892');
  });
  it('ignores slow typing (a person, not a scanner)', () => {
    const b = new ScannerBuffer();
    const out = typeKeys(b, [...'123456', 'Enter'], 1000, 200);
    expect(out.at(-1)).toBeNull();
  });
  it('ignores a too-short burst and resets on other keys', () => {
    const b = new ScannerBuffer();
    expect(typeKeys(b, ['1', '2', 'Enter'], 0, 5).at(-1)).toBeNull();
    expect(typeKeys(b, ['1', '2', '3', 'Shift', '4', 'Enter'], 100, 5).at(-1)).toBeNull();
  });
});
