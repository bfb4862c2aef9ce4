import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeFrameBytes } from '../extension/src/frame-size.js';
import { FACE_PAGE_PATH, faceCall, faceTestFiles, launchFaceBrowser, requireHostAndSimulator, startStaticServer, type FaceBrowser, type StaticServer } from './testing/index.js';

// The extension refuses requests over the host's frame limit by its own count of the bytes Chrome will
// write (frame-size.ts). Here Chromium writes them to the echo host, which keeps every frame: the count
// must be exactly what Chromium wrote, whatever the characters (escaped, multi-byte, separators).
const dir = mkdtempSync(join(tmpdir(), 'posface-frame-size-'));
const frameLog = join(dir, 'frames.bin');
let server: StaticServer;
let browser: FaceBrowser;

beforeAll(async () => {
  requireHostAndSimulator();
  server = await startStaticServer(await faceTestFiles());
  browser = await launchFaceBrowser({ host: 'echo', env: { ECHO_HOST_FRAME_LOG: frameLog } });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function framesWritten(): Buffer[] {
  const data = existsSync(frameLog) ? readFileSync(frameLog) : Buffer.alloc(0);
  const frames: Buffer[] = [];
  for (let at = 0; at + 4 <= data.length; ) {
    const size = data.readUInt32LE(at);
    frames.push(data.subarray(at + 4, at + 4 + size));
    at += 4 + size;
  }
  return frames;
}

describe('the size of a native message', () => {
  it('is counted exactly as Chromium writes it', async () => {
    const page = await browser.open(server.origin + FACE_PAGE_PATH);
    // Escaped by JSON, multi-byte, a lone surrogate, line separators: 16 UTF-16 units.
    const tricky = '<<>&"\\\u2028\u2029中😀\u0001\u007f/\ud800';
    expect(await faceCall(page, 'init', { ip: tricky.repeat(4), user: tricky.repeat(8), passwd: '<'.repeat(128) })).toMatchObject({ ok: true });
    // The largest request there is: an authinfo of 4096 characters.
    const authinfo = tricky.repeat(4096 / 16);
    await faceCall(page, 'userInfo', { appid: 'wx2421b1c4370ec43b', mch_id: '10000100', store_id: '<S001>', authinfo });
    const frames = framesWritten().filter((f) => f.includes('"call"'));
    expect(frames).toHaveLength(2);
    for (const frame of frames) expect(nativeFrameBytes(JSON.parse(frame.toString('utf8')))).toBe(frame.length);
    expect(frames[1]!.length).toBeGreaterThan(4096 * 2);
    await page.close();
  });
});
