/**
 * How many bytes `message` takes on the native messaging pipe. Chrome writes it as UTF-8 JSON with
 * its own JSON writer, which, unlike JSON.stringify, also escapes "<" (as \u003C, 6 bytes instead of
 * 1) and U+2028/U+2029 (6 bytes instead of 3). A lone surrogate (6 bytes here, U+FFFD's 3 in Chrome)
 * is the one place this counts more than Chrome writes, so the figure is never below Chrome's.
 */
export function nativeFrameBytes(message: unknown): number {
  const json = JSON.stringify(message);
  const angles = json.match(/</g)?.length ?? 0;
  const separators = json.match(/[\u2028\u2029]/g)?.length ?? 0;
  return new TextEncoder().encode(json).length + 5 * angles + 3 * separators;
}
