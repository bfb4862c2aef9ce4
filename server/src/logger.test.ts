import { shortHash } from '@posface/protocol';
import { describe, expect, it } from 'vitest';
import { createLogger, safeUrl } from './logger.js';
import { LogCapture } from './testing/harness.js';

describe('log hygiene', () => {
  it('hashes openids in paths and masks phone numbers in queries', () => {
    expect(safeUrl('/api/v1/members/by-openid/oSIM_0001_wangfang')).toBe(`/api/v1/members/by-openid/${shortHash('oSIM_0001_wangfang')}`);
    expect(safeUrl('/api/v1/members/by-openid/o%E4%B8%AD')).toBe(`/api/v1/members/by-openid/${shortHash('o中')}`);
    expect(safeUrl('/api/v1/members/by-openid/bad%E4')).toBe(`/api/v1/members/by-openid/${shortHash('bad%E4')}`);
    expect(safeUrl('/api/v1/members?phone=13812345678')).toBe('/api/v1/members?phone=138****5678');
  });

  it('redacts every other query value (pairing codes, tokens, search text), keeping harmless ones', () => {
    expect(safeUrl('/pair?token=pft_SECRET&code=123456')).toBe('/pair?token=[redacted]&code=[redacted]');
    expect(safeUrl('/api/v1/products?q=%E7%89%9B%E5%A5%B6&limit=5')).toBe('/api/v1/products?q=[redacted]&limit=5');
    expect(safeUrl('/api/v1/face/authinfo?refresh=true')).toBe('/api/v1/face/authinfo?refresh=true');
    expect(safeUrl('/x?pft_SECRET')).toBe('/x?[redacted]');
    expect(safeUrl('/x?a=1&phone=13812345678&b')).toBe('/x?a=[redacted]&phone=138****5678&[redacted]');
  });

  it('redacts secrets and personal fields wherever they are logged', () => {
    const out = new LogCapture();
    const log = createLogger('info', out);
    log.info({ token: 'pft_secret', apiKey: 'KEY', authinfo: 'AUTH', ctx: { openid: 'oX', phone: '13812345678', sign: 'S' }, headers: { authorization: 'Bearer t' } }, 'hello');
    const line = out.text();
    for (const s of ['pft_secret', '"KEY"', 'AUTH', 'oX', '13812345678', '"S"', 'Bearer t']) expect(line).not.toContain(s);
    expect(line).toContain('[redacted]');
  });
});
