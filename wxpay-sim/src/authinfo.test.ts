import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SIM_DEFAULT_SECRET,
  SIM_DEFAULT_SERIAL,
  makeRawdata,
  mintAuthinfo,
  parseRawdata,
  verifyAuthinfo,
} from '@posface/wxpay-sim';

const binding = { serial: SIM_DEFAULT_SERIAL, appid: 'wx2b029c08a6232582', mch_id: '1900008001', store_id: 'S001' };
const NOW = 1_700_000_000;

const decode = (authinfo: string): string => Buffer.from(authinfo, 'base64').toString('utf8');

describe('mintAuthinfo', () => {
  it('binds serial, merchant and store, expires after expiresIn and signs with HMAC-SHA256', () => {
    const minted = mintAuthinfo({ ...binding, now: NOW, expiresIn: 7200 });
    expect(minted.expires_in).toBe(7200);
    expect(minted.expires_at).toBe(NOW + 7200);
    const text = decode(minted.authinfo);
    const cut = text.lastIndexOf('|');
    const payload = text.slice(0, cut);
    expect(payload).toMatch(/^WXSIM1\|SIM-TERMINAL-0001\|wx2b029c08a6232582\|1900008001\|S001\|1700007200\|[0-9a-f]{16}$/);
    expect(text.slice(cut + 1)).toBe(createHmac('sha256', SIM_DEFAULT_SECRET).update(payload).digest('hex'));
  });

  it('defaults to one hour and never mints the same authinfo twice', () => {
    const a = mintAuthinfo(binding);
    const b = mintAuthinfo(binding);
    expect(a.expires_in).toBe(3600);
    expect(a.authinfo).not.toBe(b.authinfo);
  });

  it('refuses a field containing the separator', () => {
    expect(() => mintAuthinfo({ ...binding, store_id: 'S|001' })).toThrow(/store_id must not contain "\|"/);
  });
});

describe('verifyAuthinfo', () => {
  const minted = mintAuthinfo({ ...binding, now: NOW, expiresIn: 3600 });

  it('accepts a genuine authinfo before it expires', () => {
    expect(verifyAuthinfo(minted.authinfo, binding, { now: NOW + 3599 })).toEqual({ ok: true, expiresAt: NOW + 3600 });
  });

  it('says expired at and after expires_at', () => {
    expect(verifyAuthinfo(minted.authinfo, binding, { now: NOW + 3600 })).toEqual({ ok: false, reason: 'expired' });
  });

  it('says mismatch for another terminal, appid, merchant or store', () => {
    for (const change of [{ serial: 'OTHER' }, { appid: 'wxother' }, { mch_id: '1' }, { store_id: 'S002' }]) {
      expect(verifyAuthinfo(minted.authinfo, { ...binding, ...change }, { now: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  it('says signature for a wrong secret or an edited payload', () => {
    expect(verifyAuthinfo(minted.authinfo, binding, { now: NOW, secret: 'other' })).toEqual({ ok: false, reason: 'signature' });
    const edited = Buffer.from(decode(minted.authinfo).replace('|S001|', '|S002|'), 'utf8').toString('base64');
    expect(verifyAuthinfo(edited, { ...binding, store_id: 'S002' }, { now: NOW })).toEqual({ ok: false, reason: 'signature' });
  });

  it('says malformed for text without a MAC', () => {
    expect(verifyAuthinfo(Buffer.from('hello').toString('base64'), binding, { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('rawdata', () => {
  it('carries the serial and the time, and parses back', () => {
    const rawdata = makeRawdata('SIM-T-9', NOW);
    expect(decode(rawdata)).toMatch(/^WXSIMRAW1\|SIM-T-9\|[0-9a-f]{32}\|1700000000$/);
    expect(parseRawdata(rawdata)).toEqual({ serial: 'SIM-T-9', now: NOW });
  });

  it('is not ours when the tag, the field count or the time is wrong', () => {
    const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    expect(parseRawdata(enc('WXSIMRAW2|S|00|1'))).toBeNull();
    expect(parseRawdata(enc('WXSIMRAW1|S|00'))).toBeNull();
    expect(parseRawdata(enc('WXSIMRAW1|S|00|soon'))).toBeNull();
    expect(parseRawdata(enc('WXSIMRAW1||00|1'))).toBeNull();
  });
});
