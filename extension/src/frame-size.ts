const encoder = new TextEncoder();

/**
 * How many bytes `message` takes on the native messaging pipe. Chrome serialises an extension's message
 * with V8's JSON.stringify and writes it as UTF-8, so this is exact (e2e/native-frame-size.test.ts
 * compares it with what Chromium wrote); counting characters would not be ("\u0001" is 6 bytes).
 */
export function nativeFrameBytes(message: unknown): number {
  return encoder.encode(JSON.stringify(message)).length;
}
