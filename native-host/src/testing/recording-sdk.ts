import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIM_ROOT } from '@posface/wxpay-sim';

/**
 * Test support: the recording SDK (recording-sdk.c), a library with the SDK's two exports that
 * writes down every request the host hands it. Compiled with gcc into a test's own folder.
 */

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'recording-sdk.c');
/** The environment variable naming the file the library appends requests to. */
export const RECORDING_FILE_ENV = 'POSFACE_RECORDING_FILE';

/** Compiles the recording SDK into `dir`; returns the library's path. */
export function buildRecordingSdk(dir: string): string {
  const output = join(dir, 'librecording_sdk.so');
  execFileSync(
    'gcc',
    ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-fPIC', '-shared', '-fvisibility=hidden', '-pthread', '-I', join(SIM_ROOT, 'sdk', 'include'), '-o', output, SOURCE],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return output;
}

/** Every request the library received, in order, byte for byte. */
export function readRecordedRequests(file: string): Buffer[] {
  if (!existsSync(file)) return [];
  const data = readFileSync(file);
  const requests: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < 4) throw new Error(`${file}: ends inside a record header`);
    const size = data.readUInt32LE(offset);
    if (offset + 4 + size > data.length) throw new Error(`${file}: ends inside a record`);
    requests.push(data.subarray(offset + 4, offset + 4 + size));
    offset += 4 + size;
  }
  return requests;
}
