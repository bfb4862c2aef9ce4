import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureHostBuilt, HostPool, removeTempDirs, tempDir } from './testing/harness.js';

// A vendor DLL that prints to stdout (printf and raw write(1)) must not corrupt the frames.
const pool = new HostPool();
beforeAll(() => ensureHostBuilt());
afterEach(() => pool.cleanup());
afterAll(() => removeTempDirs());

const NOISY_SDK = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
__attribute__((constructor)) static void loaded(void) { printf("noisy SDK loaded\n"); fflush(stdout); }
int wxpayCallFaceService(const char *req, unsigned int n, char **out, unsigned int *outn) {
  (void)req;
  printf("noisy SDK call of %u bytes\n", n);
  fflush(stdout);
  if (write(1, "raw write to fd 1\n", 18) < 0) return -2;
  const char *r = "{\"return_code\":\"SUCCESS\",\"return_msg\":\"SUCCESS\",\"rawdata\":\"bm9pc3k=\"}";
  size_t len = strlen(r);
  char *p = malloc(len);
  memcpy(p, r, len);
  *out = p;
  *outn = (unsigned int)len;
  return 0;
}
void wxpayReleaseResponse(char **p) { if (p && *p) { free(*p); *p = NULL; } }
`;

describe('stdout guard', () => {
  it('sends what native code prints to stderr, and only frames to Chrome', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'noisy.c'), NOISY_SDK);
    execFileSync('cc', ['-shared', '-fPIC', '-o', join(dir, 'libnoisy.so'), join(dir, 'noisy.c')]);
    const host = pool.start({ sdkPath: join(dir, 'libnoisy.so') });
    expect(await host.request('hello')).toMatchObject({ ok: true, result: { sdk: { loaded: true } } });
    for (let i = 0; i < 3; i += 1) {
      expect(await host.call({ cmd: 'getWxpayfaceRawdata' })).toMatchObject({ ok: true, result: { rawdata: 'bm9pc3k=' } });
    }
    expect(host.assertStdoutIsFramesOnly()).toBe(4);
    await host.close();
    expect(host.stderr).toContain('noisy SDK loaded');
    expect(host.stderr).toMatch(/noisy SDK call of \d+ bytes/);
    expect(host.stderr).toContain('raw write to fd 1');
  });
});
