// Script lines that take the process with them run in a child process: `crash` aborts it, `hang`
// blocks forever even when stopWxpayface is called.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mintAuthinfo, SIM_LIBRARY_PATH, SIM_ROOT } from '@posface/wxpay-sim';
import { BINDING, createSimEnv, MERCHANT, removeSimEnvs } from './testing/sim-env.js';

afterAll(removeSimEnvs);

const CHILD = fileURLToPath(new URL('./testing/child.mjs', import.meta.url));
const children: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  lines: string[];
  waitFor(prefix: string, timeoutMs: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runChild(script: string): Run {
  const env = createSimEnv();
  env.setScript(script);
  const child = spawn(process.execPath, [CHILD, SIM_LIBRARY_PATH], {
    cwd: SIM_ROOT,
    env: {
      ...process.env,
      SIM_AUTHINFO: mintAuthinfo(BINDING).authinfo,
      SIM_APPID: MERCHANT.appid,
      SIM_MCH_ID: MERCHANT.mch_id,
      SIM_STORE_ID: MERCHANT.store_id,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let pending = '';
  const waiters: (() => void)[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
    waiters.splice(0).forEach((wake) => wake());
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${prefix}" line within ${timeoutMs} ms; got ${JSON.stringify(lines)}`)), timeoutMs);
      const check = () => {
        const line = lines.find((l) => l.startsWith(prefix));
        if (line !== undefined) {
          clearTimeout(timer);
          resolve(line);
        } else {
          waiters.push(check);
        }
      };
      check();
    });
  return { child, lines, waitFor, exited };
}

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

describe('crash', () => {
  it('aborts the process (SIGABRT) during the face step', async () => {
    const run = runChild('crash');
    await run.waitFor('calling', 10_000);
    const { signal } = await run.exited;
    expect(signal).toBe('SIGABRT');
    expect(run.lines.some((l) => l.startsWith('returned'))).toBe(false);
  });
});

describe('hang', () => {
  it('never returns, even after stopWxpayface answers SUCCESS', async () => {
    const run = runChild('hang');
    await run.waitFor('calling', 10_000);
    expect(await run.waitFor('stop ', 10_000)).toBe('stop {"return_code":"SUCCESS","return_msg":"SUCCESS"}');
    // Long enough for a cancelled step to have answered many times over.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(run.child.exitCode).toBeNull();
    expect(run.child.signalCode).toBeNull();
    expect(run.lines.filter((l) => !l.startsWith('stop '))).toEqual(['calling']);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
  });

  it('(control) the same child with a slow step is released by the stop and exits', async () => {
    const run = runChild('slow 20000');
    expect(await run.waitFor('returned', 10_000)).toBe('returned {"return_code":"USER_CANCEL","return_msg":"用户取消"}');
    expect((await run.exited).code).toBe(0);
  });
});
