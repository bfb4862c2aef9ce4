import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { removeTempDirs, tempDir } from './testing/harness.js';
import { FLUSH_MS, LOG_FILE_NAME, Logger } from './log.js';
import { shortHash } from '@posface/protocol';
import { redact } from './redact.js';

afterAll(() => removeTempDirs());
afterEach(() => void vi.useRealTimers());

describe('redact', () => {
  it('hashes personal data, hides credentials, keeps the rest, at any depth', () => {
    const out = redact({ cmd: 'x', openid: 'oABC', result: { nickname: '王芳', authinfo: 'AUTH', items: [{ unionid: 'u1' }] }, passwd: 'secret' });
    expect(out).toEqual({
      cmd: 'x',
      openid: shortHash('oABC'),
      result: { nickname: shortHash('王芳'), authinfo: shortHash('AUTH'), items: [{ unionid: shortHash('u1') }] },
      passwd: '[hidden]',
    });
  });
});

describe('Logger', () => {
  it('writes redacted JSON lines to the file', () => {
    const dir = tempDir('posface-log-');
    const log = new Logger({ dir, stderr: false, maxBytes: 1 << 20, files: 3 });
    log.info('face', { openid: 'oSECRET', nickname: 'Emily', ms: 12 });
    log.flush();
    const text = readFileSync(join(dir, LOG_FILE_NAME), 'utf8');
    const entry = JSON.parse(text.trim());
    expect(entry).toMatchObject({ level: 'info', msg: 'face', openid: shortHash('oSECRET'), nickname: shortHash('Emily'), ms: 12, pid: process.pid });
    expect(text).not.toContain('oSECRET');
    expect(text).not.toContain('Emily');
  });

  it('writes within FLUSH_MS of a line, together with the lines logged meanwhile', () => {
    vi.useFakeTimers();
    const dir = tempDir('posface-log-');
    const log = new Logger({ dir, stderr: false, maxBytes: 1 << 20, files: 3 });
    log.info('first');
    vi.advanceTimersByTime(FLUSH_MS - 1);
    log.warn('second');
    expect(readFileSync(join(dir, LOG_FILE_NAME), 'utf8')).toBe('');
    vi.advanceTimersByTime(1);
    const lines = readFileSync(join(dir, LOG_FILE_NAME), 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['first', 'second']);
  });

  it('rotates at maxBytes and keeps only `files` files', () => {
    const dir = tempDir('posface-log-');
    const log = new Logger({ dir, stderr: false, maxBytes: 4096, files: 3 });
    for (let i = 0; i < 200; i += 1) log.info('line', { i, pad: 'p'.repeat(100) });
    log.flush();
    const files = readdirSync(dir).sort();
    expect(files).toEqual([LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
    for (const f of files) expect(readFileSync(join(dir, f)).length).toBeLessThanOrEqual(4096);
    // The newest line is in the live file.
    expect(readFileSync(join(dir, LOG_FILE_NAME), 'utf8')).toContain('"i":199');
    expect(existsSync(join(dir, `${LOG_FILE_NAME}.3`))).toBe(false);
  });
});
