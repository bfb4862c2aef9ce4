import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FACES_PATH, parseFaces, readFaces } from '@posface/wxpay-sim';

describe('parseFaces', () => {
  it('reads openid, nickname and an optional unionid; skips comments and blank lines; accepts CRLF', () => {
    const text = '# known faces\r\noA\t王芳\tuA\r\n\r\n   \noB\tEmily Chen\t\noC\t李雷 🍵\n';
    expect(parseFaces(text)).toEqual([
      { openid: 'oA', nickname: '王芳', unionid: 'uA' },
      { openid: 'oB', nickname: 'Emily Chen', unionid: null },
      { openid: 'oC', nickname: '李雷 🍵', unionid: null },
    ]);
  });

  it('names the line that lacks a nickname', () => {
    expect(() => parseFaces('oA\tA\noB\n')).toThrow('faces line 2: expected openid<TAB>nickname[<TAB>unionid]');
    expect(() => parseFaces('\tnobody')).toThrow(/faces line 1/);
  });
});

describe('readFaces', () => {
  it('reads the shipped faces file: six faces, Chinese and emoji nicknames, one without unionid', () => {
    const faces = readFaces();
    expect(faces).toHaveLength(6);
    expect(faces[0]).toEqual({ openid: 'oSIM_0001_wangfang', nickname: '王芳', unionid: 'uSIM_0001' });
    expect(faces[1]?.nickname).toBe('李雷 🍵');
    expect(faces[3]).toEqual({ openid: 'oSIM_0004_emily', nickname: 'Emily Chen', unionid: null });
    expect(DEFAULT_FACES_PATH.endsWith(join('wxpay-sim', 'faces.tsv'))).toBe(true);
  });

  it('reads another file when given its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxsim-faces-'));
    try {
      writeFileSync(join(dir, 'faces.tsv'), 'oX\tX\n');
      expect(readFaces(join(dir, 'faces.tsv'))).toEqual([{ openid: 'oX', nickname: 'X', unionid: null }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
