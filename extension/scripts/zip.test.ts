import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeZip } from './zip.mjs';

describe('the release zip', () => {
  it('is read back intact by an independent reader (Python zipfile): names, bytes, CRCs', () => {
    const entries = [
      { name: 'manifest.json', data: Buffer.from(JSON.stringify({ name: 'POS Face', v: 1 }), 'utf8') },
      { name: '_locales/zh_CN/messages.json', data: Buffer.from('{"name":{"message":"刷脸识别会员"}}', 'utf8') },
      { name: 'empty.txt', data: Buffer.alloc(0) },
      { name: 'background.js', data: Buffer.from('x'.repeat(100_000)) },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'posface-zip-'));
    try {
      const path = join(dir, 'ext.zip');
      writeFileSync(path, makeZip(entries));
      const script = [
        'import json, sys, zipfile',
        'z = zipfile.ZipFile(sys.argv[1])',
        'assert z.testzip() is None',
        'print(json.dumps({i.filename: z.read(i).decode("utf-8") for i in z.infolist()}))',
      ].join('\n');
      const read = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as Record<string, string>;
      expect(Object.keys(read)).toEqual(entries.map((e) => e.name));
      for (const e of entries) expect(read[e.name]).toBe(e.data.toString('utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
