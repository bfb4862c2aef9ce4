/**
 * Test-only: a private faces file and camera script for the simulator, passed through the environment
 * variables the library reads at each call.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintAuthinfo, SIM_DEFAULT_SERIAL, type AuthinfoBinding } from '@posface/wxpay-sim';

export const MERCHANT = { appid: 'wx2b029c08a6232582', mch_id: '1900008001', store_id: 'S001' } as const;
export const BINDING: AuthinfoBinding = { serial: SIM_DEFAULT_SERIAL, ...MERCHANT };

const TEST_FACES = [
  'oSIM_T1\t王芳\tuSIM_T1',
  'oSIM_T2\t李雷 🍵\tuSIM_T2',
  'oSIM_T3\tEmily Chen',
].join('\n');

export interface SimEnv {
  dir: string;
  facesPath: string;
  scriptPath: string;
  setFaces(text: string): void;
  setScript(...lines: string[]): void;
  readScript(): string;
}

// One scratch folder per test file; each file calls removeSimEnvs in afterAll.
let root: string | null = null;
function scratch(): string {
  root ??= mkdtempSync(join(tmpdir(), 'wxsim-'));
  return mkdtempSync(join(root, 'env-'));
}

/** Removes every folder createSimEnv made in this process. */
export function removeSimEnvs(): void {
  if (root !== null) rmSync(root, { recursive: true, force: true });
  root = null;
}

/** Points WXPAYFACE_SIM_* at fresh files in a temp folder; no delay unless a test sets one. */
export function createSimEnv(): SimEnv {
  const dir = scratch();
  const facesPath = join(dir, 'faces.tsv');
  const scriptPath = join(dir, 'script.txt');
  writeFileSync(facesPath, TEST_FACES);
  writeFileSync(scriptPath, '');
  process.env.WXPAYFACE_SIM_FACES = facesPath;
  process.env.WXPAYFACE_SIM_SCRIPT = scriptPath;
  process.env.WXPAYFACE_SIM_DELAY_MS = '0';
  delete process.env.WXPAYFACE_SIM_SECRET;
  delete process.env.WXPAYFACE_SIM_SERIAL;
  delete process.env.WXPAYFACE_SIM_INIT_MS;
  delete process.env.WXPAYFACE_SIM_SERVICE_DOWN;
  return {
    dir,
    facesPath,
    scriptPath,
    setFaces: (text) => writeFileSync(facesPath, text),
    setScript: (...lines) => writeFileSync(scriptPath, lines.map((l) => `${l}\n`).join('')),
    readScript: () => readFileSync(scriptPath, 'utf8'),
  };
}

/** The fields of a valid getWxpayfaceUserInfo for this terminal (authinfo minted as the backend would). */
export function userInfoFields(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...MERCHANT, face_authtype: 'FACEID-ONCE', authinfo: mintAuthinfo(BINDING).authinfo, ...extra };
}
