import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HOST_NAME } from '@posface/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXTENSION_ID, HostPool, ORIGIN, removeTempDirs } from '../src/testing/harness.js';
import { exportRegistry, keysUnder, regString, type RegistryTree } from '../src/testing/wine-registry.js';
import { simDll, startWineHost } from '../src/testing/windows.js';
import { FORCELIST_VALUE } from './msi.js';
import type { Arch } from './runtime.js';
import { driveCPath, openWine, runWine, startWine, windowsPath, type Wine, type WineRun } from './wine.js';

// The MSI under wine, silently, as GPO/SCCM/msiexec run it: properties → registry, manifest and
// policies → a Chrome-style lookup and launch → upgrade → uninstall back to the state before.
const env = inject('windows');
const pool = new HostPool();
afterEach(() => pool.cleanup());
afterAll(() => removeTempDirs());

const HKLM = 'HKEY_LOCAL_MACHINE';
const OTHER_ID = 'ponmlkjihgfedcbaponmlkjihgfedcba';
const ORIGINS = 'https://pos.example.com, http://localhost:*';
const UPDATE_URL = 'https://updates.example.com/pos-face.xml';
/** Where the MSI writes and where others may have written: compared before install and after uninstall. */
const WATCHED = ['Google', 'Microsoft\\Edge', 'Policies', 'PosFace'].flatMap((key) => [`HKLM\\Software\\${key}`, `HKLM\\Software\\Wow6432Node\\${key}`]);
const UNINSTALL = ['', 'Wow6432Node\\'].map((wow) => `HKLM\\Software\\${wow}Microsoft\\Windows\\CurrentVersion\\Uninstall`);

/** The 64-bit view's name of a key the host of `arch` sees under HKLM\Software. */
function view(arch: Arch, key: string): string {
  return `${HKLM}\\Software\\${arch === 'ia32' ? 'Wow6432Node\\' : ''}${key}`;
}

let wine: Wine;
let before: RegistryTree;
let beforeFiles: string[];

function driveC(): string {
  return join(wine.prefix, 'drive_c');
}

function installFolder(arch: Arch): string {
  return arch === 'ia32' ? 'C:\\Program Files (x86)\\PosFace' : 'C:\\Program Files\\PosFace';
}

/** Every file under Program Files and ProgramData, except the host's own logs. */
function files(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(driveC(), path));
    }
  };
  for (const top of ['Program Files', 'Program Files (x86)', 'ProgramData']) walk(join(driveC(), top));
  return out.filter((f) => !f.startsWith(join('ProgramData', 'PosFace', 'logs'))).sort();
}

async function snapshot(): Promise<RegistryTree> {
  const tree = await exportRegistry(wine, [...WATCHED, ...UNINSTALL]);
  // Only the uninstall entries of our product; Wine's own come and go with nothing of ours.
  for (const key of productEntries(tree, true)) tree.delete(key);
  return tree;
}

/** The Add/Remove Programs entries of our product (or, with `others`, every other one). */
function productEntries(tree: RegistryTree, others = false): string[] {
  return UNINSTALL.flatMap((key) => keysUnder(tree, key.replace(/^HKLM/, HKLM))).filter(
    (key) => /POS Face/.test([...(tree.get(key)?.values() ?? [])].join(' ')) !== others,
  );
}

async function msiexec(args: string[]): Promise<WineRun & { ms: number; log: string }> {
  const log = join(driveC(), 'msiexec.log');
  const started = performance.now();
  const run = await runWine(wine, ['msiexec', ...args, '/qn', '/l*v', windowsPath(log)]);
  const ms = Math.round(performance.now() - started);
  return { ...run, ms, log: existsSync(log) ? readFileSync(log, 'utf8') : '' };
}

/** Chrome's lookup on Windows: HKCU then HKLM, each in the 32-bit view, then the 64-bit one. */
function chromeFindsManifest(tree: RegistryTree): string | undefined {
  for (const hive of ['HKEY_CURRENT_USER', HKLM]) {
    for (const wow of ['Wow6432Node\\', '']) {
      const found = regString(tree, `${hive}\\Software\\${wow}Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

interface Manifest {
  name: string;
  path: string;
  type: string;
  allowed_origins: string[];
}

function readManifest(windows: string): Manifest {
  return JSON.parse(readFileSync(driveCPath(wine, windows), 'utf8')) as Manifest;
}

/** Launches the registered host as Chrome would (through cmd.exe) with the MSI's own settings. */
async function launchRegistered(arch: Arch, manifest: Manifest): Promise<Record<string, unknown>> {
  if (env === null) throw new Error('no windows test environment');
  expect(manifest.allowed_origins).toEqual([ORIGIN]);
  const host = pool.track(startWineHost(env, arch, { viaCmd: true, hostPath: manifest.path, sdkPath: null, logDir: null }));
  const hello = await host.request('hello', undefined, 30_000);
  expect(await host.call({ cmd: 'initWxpayface' })).toMatchObject({ ok: true, result: { return_code: 'SUCCESS' } });
  expect(await host.call({ cmd: 'getWxpayfaceRawdata' })).toMatchObject({ ok: true, result: { return_code: 'SUCCESS' } });
  expect(await host.close()).toEqual({ code: 0, signal: null });
  expect(hello.ok).toBe(true);
  return (hello.ok ? hello.result : {}) as Record<string, unknown>;
}

beforeAll(async () => {
  if (env === null) return;
  wine = await openWine(env.prefix);
  // Entries of others under the same keys: the uninstall must leave them.
  const plant = [
    `reg add HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.other.host /ve /d C:\\other\\host.json /f /reg:32`,
    `reg add HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.other.host /ve /d C:\\other\\host.json /f /reg:64`,
    `reg add HKLM\\Software\\Policies\\Google\\Chrome\\ExtensionInstallForcelist /v 1 /d ${OTHER_ID};https://other.example.com/u.xml /f /reg:64`,
    `reg add HKLM\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${OTHER_ID}\\policy /v setting /d kept /f /reg:64`,
  ];
  await runWine(wine, ['cmd', '/c', plant.join(' & ')]);
  before = await snapshot();
  beforeFiles = files();
  expect(regString(before, `${HKLM}\\Software\\Policies\\Google\\Chrome\\ExtensionInstallForcelist`, '1')).toContain(OTHER_ID);
});

describe.runIf(env !== null)('the MSI under wine', () => {
  it('refuses to install without EXTENSION_ID, saying what to pass, and changes nothing', async () => {
    const run = await msiexec(['/i', windowsPath(env?.builds.ia32.msi as string)]);
    // 1603 (fatal error), as wine's exit status keeps its low byte.
    expect(run.status).toBe(1603 & 0xff);
    expect(run.log).toContain('EXTENSION_ID is required: the 32-letter id of the POS Face extension');
    expect(files()).toEqual(beforeFiles);
    expect(await snapshot()).toEqual(before);
  });

  describe('ia32: install, launch, doctor, upgrade, uninstall', () => {
    const arch: Arch = 'ia32';
    const sdkPath = windowsPath(simDll(arch));

    it('installs silently with its properties: files, registration for Chrome and Edge, settings, policies', async () => {
      const run = await msiexec(['/i', windowsPath(env?.builds[arch].msi as string), `EXTENSION_ID=${EXTENSION_ID}`, `SDK_PATH=${sdkPath}`, `POS_ORIGINS=${ORIGINS}`, `UPDATE_URL=${UPDATE_URL}`]);
      console.log(`install (${arch}, ${((env?.builds[arch].msiBytes ?? 0) / 2 ** 20).toFixed(1)} MiB MSI) under wine: ${run.ms} ms`);
      expect(run.status, run.log.slice(-3000)).toBe(0);
      const folder = installFolder(arch);
      expect(readdirSync(driveCPath(wine, folder)).sort()).toEqual([`${HOST_NAME}.json`, 'koffi.node', 'pos-face-host.exe']);
      const tree = await snapshot();
      expect(productEntries(tree)).toHaveLength(1);
      const manifestPath = `${folder}\\${HOST_NAME}.json`;
      expect(regString(tree, view(arch, `Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`))).toBe(manifestPath);
      expect(regString(tree, view(arch, `Microsoft\\Edge\\NativeMessagingHosts\\${HOST_NAME}`))).toBe(manifestPath);
      expect(readManifest(manifestPath)).toMatchObject({ name: HOST_NAME, type: 'stdio', path: `${folder}\\pos-face-host.exe`, allowed_origins: [ORIGIN] });
      const settings = view(arch, 'PosFace\\NativeHost');
      expect(regString(tree, settings, 'ExtensionId')).toBe(EXTENSION_ID);
      expect(regString(tree, settings, 'SdkPath')).toBe(sdkPath);
      expect(regString(tree, settings, 'LogDir')).toBe('C:\\ProgramData\\PosFace\\logs');
      // Software\Policies is shared by both views: Chrome of either bitness reads it.
      for (const browser of ['Google\\Chrome', 'Microsoft\\Edge']) {
        const policy = `${HKLM}\\Software\\Policies\\${browser}`;
        expect(JSON.parse(regString(tree, `${policy}\\3rdparty\\extensions\\${EXTENSION_ID}\\policy`, 'allowedOrigins') ?? 'null')).toEqual(['https://pos.example.com', 'http://localhost:*']);
        expect(regString(tree, `${policy}\\ExtensionInstallForcelist`, FORCELIST_VALUE)).toBe(`${EXTENSION_ID};${UPDATE_URL}`);
      }
    });

    it('is found the way Chrome looks for it, and answers frames with the SDK the MSI was given', async () => {
      const manifestPath = chromeFindsManifest(await snapshot());
      expect(manifestPath).toBe(`${installFolder(arch)}\\${HOST_NAME}.json`);
      const hello = await launchRegistered(arch, readManifest(manifestPath as string));
      expect(hello).toMatchObject({ host: { version: env?.version }, sdk: { loaded: true, path: sdkPath, arch } });
      // A system install logs in the machine's app-data folder, and took the SDK path from the MSI.
      const log = readFileSync(driveCPath(wine, 'C:\\ProgramData\\PosFace\\logs\\pos-face-host.log'), 'utf8');
      expect(log).toContain('"sdkPathSource":"machine"');
    });

    it('doctor, run as IT would from the installed exe, names a stopped WxpayFaceService and passes once it runs', async () => {
      const exe = `${installFolder(arch)}\\pos-face-host.exe`;
      const doctor = () => runWine(wine, [exe, 'doctor', '--level', 'system', '--extension-id', EXTENSION_ID, '--no-clock']);
      const stopped = await doctor();
      expect(stopped.status).toBe(1);
      expect(stopped.stdout).toContain('✗ WxpayFaceService is not running: \\\\.\\pipe\\wxpayface does not exist');
      expect(stopped.stdout).toMatch(/→ start WxpayFaceService/);
      const service = startWine(wine, [windowsPath(env?.faceService as string), '120']);
      let run: WineRun;
      try {
        // The stand-in holds the pipe from its first second on; doctor is retried until it sees it.
        for (let attempt = 0; ; attempt += 1) {
          run = await doctor();
          if (run.status === 0 || attempt === 10) break;
          await new Promise((r) => setTimeout(r, 500));
        }
      } finally {
        await service.stop();
      }
      expect(run.stdout).toContain('✓ WxpayFaceService is running (\\\\.\\pipe\\wxpayface is open)');
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain(`✓ chrome (system): manifest ${installFolder(arch)}\\${HOST_NAME}.json is valid`);
      expect(run.stdout).toContain('✓ edge (system): manifest');
      expect(run.stdout).toMatch(/✓ the host answers hello in \d+ ms \(host [\d.]+, protocol 1, Node ia32\)/);
      expect(run.stdout).toContain('✓ Node ia32 matches the SDK DLL (ia32)');
      expect(run.stdout).toMatch(/✓ initWxpayface answers SUCCESS/);
    });

    it('upgrades in place to a newer build, keeping every property', async () => {
      const run = await msiexec(['/i', windowsPath(env?.upgrade.msi as string)]);
      expect(run.status, run.log.slice(-3000)).toBe(0);
      const tree = await snapshot();
      const settings = view(arch, 'PosFace\\NativeHost');
      expect(regString(tree, settings, 'ExtensionId')).toBe(EXTENSION_ID);
      expect(regString(tree, settings, 'SdkPath')).toBe(sdkPath);
      expect(regString(tree, `${HKLM}\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${EXTENSION_ID}\\policy`, 'allowedOrigins')).toBe('["https://pos.example.com","http://localhost:*"]');
      expect(regString(tree, `${HKLM}\\Software\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist`, FORCELIST_VALUE)).toBe(`${EXTENSION_ID};${UPDATE_URL}`);
      // One product left: the previous one was removed, not installed beside.
      expect(productEntries(tree)).toHaveLength(1);
      const hello = await launchRegistered(arch, readManifest(chromeFindsManifest(tree) as string));
      expect(hello).toMatchObject({ host: { version: env?.upgrade.version }, sdk: { loaded: true, path: sdkPath } });
    });

    it('uninstalls every file and key it wrote, and nothing else', async () => {
      const run = await msiexec(['/x', windowsPath(env?.upgrade.msi as string)]);
      console.log(`uninstall (${arch}) under wine: ${run.ms} ms`);
      expect(run.status, run.log.slice(-3000)).toBe(0);
      expect(files()).toEqual(beforeFiles);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('x64: the 64-bit view, and no policies without POS_ORIGINS / UPDATE_URL', () => {
    const arch: Arch = 'x64';
    const sdkPath = windowsPath(simDll(arch));

    it('installs, is found and launched, and uninstalls back to the state before', async () => {
      const install = await msiexec(['/i', windowsPath(env?.builds[arch].msi as string), `EXTENSION_ID=${EXTENSION_ID}`, `SDK_PATH=${sdkPath}`]);
      console.log(`install (${arch}, ${((env?.builds[arch].msiBytes ?? 0) / 2 ** 20).toFixed(1)} MiB MSI) under wine: ${install.ms} ms`);
      expect(install.status, install.log.slice(-3000)).toBe(0);
      const tree = await snapshot();
      expect(regString(tree, view(arch, `Google\\Chrome\\NativeMessagingHosts\\${HOST_NAME}`))).toBe(`${installFolder(arch)}\\${HOST_NAME}.json`);
      expect(keysUnder(tree, `${HKLM}\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${EXTENSION_ID}`)).toEqual([]);
      expect(regString(tree, `${HKLM}\\Software\\Policies\\Google\\Chrome\\ExtensionInstallForcelist`, FORCELIST_VALUE)).toBeUndefined();
      const hello = await launchRegistered(arch, readManifest(chromeFindsManifest(tree) as string));
      expect(hello).toMatchObject({ sdk: { loaded: true, path: sdkPath, arch } });

      const uninstall = await msiexec(['/x', windowsPath(env?.builds[arch].msi as string)]);
      console.log(`uninstall (${arch}) under wine: ${uninstall.ms} ms`);
      expect(uninstall.status, uninstall.log.slice(-3000)).toBe(0);
      expect(files()).toEqual(beforeFiles);
      expect(await snapshot()).toEqual(before);
    });
  });
});
