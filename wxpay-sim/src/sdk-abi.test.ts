// The simulator's C ABI: exactly the real DLL's two exports, responses sized (not NUL-terminated),
// released to NULL, and reqSize honoured.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { requireTool } from '@posface/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_LIBRARY_PATH, SIM_ROOT } from '@posface/wxpay-sim';
import { call, callRaw, release, request } from './testing/harness.js';
import { createSimEnv, userInfoFields, removeSimEnvs } from './testing/sim-env.js';

afterAll(removeSimEnvs);

const EXPORTS = ['wxpayCallFaceService', 'wxpayReleaseResponse'];

describe('exports', () => {
  it('the shared library exports exactly the two SDK functions', () => {
    const out = execFileSync('nm', ['-D', '--defined-only', SIM_LIBRARY_PATH], { encoding: 'utf8' });
    const names = out.trim().split('\n').map((line) => line.trim().split(/\s+/).pop());
    expect(names.sort()).toEqual(EXPORTS);
  });

  for (const [arch, compiler] of [['win-x64', 'mingw-x64'], ['win-ia32', 'mingw-ia32']] as const) {
    const dll = join(SIM_ROOT, 'sdk', 'build', arch, 'WxpayFaceSDK.dll');
    it.runIf(requireTool(compiler, 'objdump'))(`the ${arch} WxpayFaceSDK.dll exports exactly the two SDK functions, undecorated`, () => {
      const dump = execFileSync('objdump', ['-p', dll], { encoding: 'utf8' });
      const table = dump.slice(dump.indexOf('[Ordinal/Name Pointer] Table'));
      const names = [...table.matchAll(/^\s+\[\s*\d+\]\s+(\S+)$/gm)].map((m) => m[1]);
      expect(names).toEqual(EXPORTS);
      expect(/file format (\S+)/.exec(dump)?.[1]).toBe(arch === 'win-x64' ? 'pei-x86-64' : 'pei-i386');
      // Static runtime: nothing to ship beside the DLL.
      expect([...dump.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]?.toLowerCase()).sort()).toEqual([
        'bcrypt.dll',
        'kernel32.dll',
        'msvcrt.dll',
      ]);
    });
  }
});

describe('responses', () => {
  beforeEach(() => {
    createSimEnv();
  });

  it('are exactly *pRespSize bytes of UTF-8 JSON without a NUL, and released to NULL', () => {
    const answer = callRaw(request('initWxpayface'));
    expect(answer.code).toBe(0);
    const text = answer.bytes?.toString('utf8');
    expect(text).toBe('{"return_code":"SUCCESS","return_msg":"SUCCESS"}');
    expect(answer.bytes?.includes(0)).toBe(false);
    expect(answer.afterRelease).toBeNull();
  });

  it('count bytes, not characters, for non-ASCII content', () => {
    call('initWxpayface');
    const answer = callRaw(request('getWxpayfaceUserInfo', userInfoFields()));
    const nickname = '王芳';
    expect(answer.body).toMatchObject({ return_code: 'SUCCESS', nickname });
    expect(answer.bytes?.length).toBe(Buffer.byteLength(JSON.stringify(answer.body), 'utf8'));
    expect(answer.bytes?.length).toBeGreaterThan(JSON.stringify(answer.body).length);
  });

  it('wxpayReleaseResponse is NULL-safe', () => {
    const handle: [bigint | null] = [null];
    release(handle);
    release(null);
    expect(handle[0]).toBeNull();
  });
});

describe('reqSize', () => {
  beforeEach(() => {
    createSimEnv();
  });

  it('only reqSize bytes are read: trailing garbage after them is ignored', () => {
    const json = Buffer.from(JSON.stringify(request('initWxpayface')), 'utf8');
    const padded = Buffer.concat([json, Buffer.from('}}garbage\u0000{"cmd":"x"}')]);
    expect(callRaw(padded, json.length).body).toEqual({ return_code: 'SUCCESS', return_msg: 'SUCCESS' });
  });

  it('a reqSize that cuts the JSON short is Invalid Json, even though the buffer holds all of it', () => {
    const json = Buffer.from(JSON.stringify(request('initWxpayface')), 'utf8');
    expect(callRaw(json, json.length - 1).body).toEqual({ return_code: 'PARAM_ERROR', return_msg: 'Invalid Json' });
    expect(callRaw(json, 0).body).toEqual({ return_code: 'PARAM_ERROR', return_msg: 'Invalid Json' });
  });
});
