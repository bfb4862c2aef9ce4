import { readdirSync, readFileSync } from 'node:fs';

/** The env var every host launched for one test browser carries, so counts ignore other tests' hosts. */
export const TAG_VAR = 'POSFACE_E2E_TAG';

function read(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    // The process ended between listing /proc and reading it, or is not ours to read; anything else is a real fault.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM') return null;
    throw error;
  }
}

/** Pids of running host processes (real or echo) launched with POSFACE_E2E_TAG=tag (a /proc scan). */
export function hostPids(tag: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    const cmdline = read(`/proc/${name}/cmdline`);
    if (!cmdline || !/native-host\/dist\/pos-face-host\.cjs|echo-host\.cjs/.test(cmdline)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (stat && /\) Z /.test(stat)) continue; // a zombie has already exited
    const environ = read(`/proc/${name}/environ`);
    if (environ?.split('\0').includes(`${TAG_VAR}=${tag}`)) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

/** Waits until `check` holds (polling), or throws with the last value seen. */
export async function waitFor<T>(read: () => T, check: (value: T) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
