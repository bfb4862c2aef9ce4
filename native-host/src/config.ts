import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { FaceError, SDK_COMMANDS, SDK_TIMEOUT_MS, type SdkCommand } from '@posface/protocol';
import { readMachineSettings, MACHINE_SETTINGS_KEY, type MachineSettings } from './machine-settings.js';
import { DEFAULT_CONFIG_PATH } from './paths.js';

/**
 * The host's effective configuration. Sources, strongest first: environment variables, the JSON config
 * file (POSFACE_HOST_CONFIG, else pos-face-host.config.json beside the host), on Windows what the MSI
 * recorded for the machine (HKLM\SOFTWARE\PosFace\NativeHost), built-in defaults.
 */
export interface HostConfig {
  /** The SDK library to load; null when nothing is configured and the platform has no default. */
  sdkPath: string | null;
  sdkPathSource: 'env' | 'config' | 'machine' | 'default' | 'none';
  timeouts: Record<SdkCommand, number>;
  /** How long in all the host keeps calling init again while the SDK answers "initialising". */
  initWaitMs: number;
  log: { dir: string; stderr: boolean; maxBytes: number; files: number };
  /** The config file that was read, if any. */
  configFile: string | null;
}

/** The config file's shape (every key optional). */
interface HostConfigFile {
  sdkPath?: string;
  timeouts?: Partial<Record<SdkCommand, number>>;
  initWaitMs?: number;
  log?: { dir?: string; stderr?: boolean; maxBytes?: number; files?: number };
}

/** Where the vendor's DLL is expected on a Windows terminal when nothing else is configured. */
export const WINDOWS_DEFAULT_SDK_PATH = 'C:\\Program Files\\PosFace\\sdk\\WxpayFaceSDK.dll';

const MIN_TIMEOUT_MS = 50;
const MAX_TIMEOUT_MS = 60 * 60 * 1000;
const DEFAULT_LOG_MAX_BYTES = 1024 * 1024;
const DEFAULT_LOG_FILES = 3;
/** The vendor says "initialising: call init again in about 500 ms"; this long in all, then give up. */
const DEFAULT_INIT_WAIT_MS = 20_000;
const INIT_WAIT_ENV = 'POSFACE_INIT_WAIT_MS';

type Env = Readonly<Record<string, string | undefined>>;

function configError(where: string, problem: string): FaceError {
  // Callers see a broken configuration as an unusable SDK, with this message saying what to fix.
  return new FaceError('SDK_UNAVAILABLE', `Host configuration: ${where} ${problem}`, { details: { field: where } });
}

/** `getWxpayfaceUserInfo` → `GET_WXPAYFACE_USER_INFO`, as in POSFACE_TIMEOUT_GET_WXPAYFACE_USER_INFO_MS. */
export function timeoutEnvName(cmd: SdkCommand): string {
  return `POSFACE_TIMEOUT_${cmd.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_MS`;
}

function checkTimeout(where: string, value: unknown, min = MIN_TIMEOUT_MS): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_TIMEOUT_MS) {
    throw configError(where, `must be a whole number of milliseconds from ${min} to ${MAX_TIMEOUT_MS}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A whole number of milliseconds from the environment, checked like the file's. */
function envMs(env: Env, name: string, min?: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9]+$/.test(raw.trim())) throw configError(name, `must be a whole number of milliseconds, got ${JSON.stringify(raw)}`);
  return checkTimeout(name, Number(raw.trim()), min);
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw configError(`${where}${key}`, `is not a known setting (known: ${allowed.join(', ')})`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a parsed config file; every problem names the setting and what was expected. */
function parseConfigFile(value: unknown, file: string): HostConfigFile {
  if (!isPlainObject(value)) throw configError(file, 'must hold a JSON object');
  checkKeys(value, ['sdkPath', 'timeouts', 'initWaitMs', 'log'], '');
  const out: HostConfigFile = {};
  if (value.sdkPath !== undefined) {
    if (typeof value.sdkPath !== 'string' || value.sdkPath === '') throw configError('sdkPath', 'must be a non-empty path');
    out.sdkPath = value.sdkPath;
  }
  if (value.timeouts !== undefined) {
    if (!isPlainObject(value.timeouts)) throw configError('timeouts', 'must be an object of command → milliseconds');
    checkKeys(value.timeouts, SDK_COMMANDS, 'timeouts.');
    out.timeouts = {};
    for (const [cmd, ms] of Object.entries(value.timeouts)) out.timeouts[cmd as SdkCommand] = checkTimeout(`timeouts.${cmd}`, ms);
  }
  // 0 turns the waiting off: the first "initialising" answer is passed on.
  if (value.initWaitMs !== undefined) out.initWaitMs = checkTimeout('initWaitMs', value.initWaitMs, 0);
  if (value.log !== undefined) {
    const log = value.log;
    if (!isPlainObject(log)) throw configError('log', 'must be an object');
    checkKeys(log, ['dir', 'stderr', 'maxBytes', 'files'], 'log.');
    out.log = {};
    if (log.dir !== undefined) {
      if (typeof log.dir !== 'string' || log.dir === '') throw configError('log.dir', 'must be a non-empty path');
      out.log.dir = log.dir;
    }
    if (log.stderr !== undefined) {
      if (typeof log.stderr !== 'boolean') throw configError('log.stderr', 'must be true or false');
      out.log.stderr = log.stderr;
    }
    if (log.maxBytes !== undefined) {
      if (typeof log.maxBytes !== 'number' || !Number.isInteger(log.maxBytes) || log.maxBytes < 4096) {
        throw configError('log.maxBytes', `must be a whole number of bytes ≥ 4096, got ${JSON.stringify(log.maxBytes)}`);
      }
      out.log.maxBytes = log.maxBytes;
    }
    if (log.files !== undefined) {
      if (typeof log.files !== 'number' || !Number.isInteger(log.files) || log.files < 1 || log.files > 20) {
        throw configError('log.files', `must be a whole number from 1 to 20, got ${JSON.stringify(log.files)}`);
      }
      out.log.files = log.files;
    }
  }
  return out;
}

/** The user's local app-data log folder for this platform. */
export function defaultLogDir(env: Env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'PosFace', 'logs');
  if (platform === 'darwin') return join(home, 'Library', 'Logs', 'PosFace');
  return join(env.XDG_STATE_HOME ?? join(home, '.local', 'state'), 'posface', 'logs');
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

interface LoadConfigOptions {
  env?: Env;
  argv?: readonly string[];
  platform?: NodeJS.Platform;
  /** The default config file (tests point it elsewhere). */
  defaultConfigPath?: string;
  /** What the MSI recorded (default: read from the registry on Windows). */
  machine?: MachineSettings;
}

function machineSettings(options: LoadConfigOptions): MachineSettings {
  if (options.machine) return options.machine;
  try {
    return readMachineSettings();
  } catch (error) {
    throw configError(`HKLM\\${MACHINE_SETTINGS_KEY}`, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Reads the effective configuration. A bad setting throws a FaceError naming it; the host reports
 * that through `hello` and SDK_UNAVAILABLE rather than dying, so IT sees the reason in the POS.
 */
export function loadConfig(options: LoadConfigOptions = {}): HostConfig {
  const env = options.env ?? process.env;
  const argv = options.argv ?? [];
  const platform = options.platform ?? process.platform;
  const explicit = env.POSFACE_HOST_CONFIG;
  const file = explicit ? resolve(explicit) : (options.defaultConfigPath ?? DEFAULT_CONFIG_PATH);
  let fromFile: HostConfigFile = {};
  let configFile: string | null = null;
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw configError(file, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    fromFile = parseConfigFile(parsed, file);
    configFile = file;
  } else if (explicit) {
    throw configError(`POSFACE_HOST_CONFIG=${explicit}`, 'names a file that does not exist');
  }

  const machine = machineSettings(options);
  let sdkPath: string | null = null;
  let sdkPathSource: HostConfig['sdkPathSource'] = 'none';
  if (env.POSFACE_SDK_PATH) {
    sdkPath = env.POSFACE_SDK_PATH;
    sdkPathSource = 'env';
  } else if (fromFile.sdkPath) {
    // A relative path in the config file is relative to the file, not to wherever Chrome started us.
    sdkPath = isAbsolute(fromFile.sdkPath) || configFile === null ? fromFile.sdkPath : resolve(configFile, '..', fromFile.sdkPath);
    sdkPathSource = 'config';
  } else if (machine.sdkPath) {
    sdkPath = machine.sdkPath;
    sdkPathSource = 'machine';
  } else if (platform === 'win32') {
    sdkPath = WINDOWS_DEFAULT_SDK_PATH;
    sdkPathSource = 'default';
  }

  const timeouts = { ...SDK_TIMEOUT_MS, ...fromFile.timeouts };
  for (const cmd of SDK_COMMANDS) {
    const ms = envMs(env, timeoutEnvName(cmd));
    if (ms !== undefined) timeouts[cmd] = ms;
  }

  return {
    sdkPath,
    sdkPathSource,
    timeouts,
    initWaitMs: envMs(env, INIT_WAIT_ENV, 0) ?? fromFile.initWaitMs ?? DEFAULT_INIT_WAIT_MS,
    log: {
      dir: env.POSFACE_LOG_DIR || fromFile.log?.dir || machine.logDir || defaultLogDir(env, platform),
      stderr: argv.includes('--log-stderr') || truthy(env.POSFACE_LOG_STDERR) || fromFile.log?.stderr === true,
      maxBytes: fromFile.log?.maxBytes ?? DEFAULT_LOG_MAX_BYTES,
      files: fromFile.log?.files ?? DEFAULT_LOG_FILES,
    },
    configFile,
  };
}

/**
 * The configuration, or, when it is broken, the defaults plus the problem: the host still starts so
 * that `hello` can tell IT what to fix (and every `call` answers SDK_UNAVAILABLE with it).
 */
export function loadConfigOrDefaults(options: LoadConfigOptions = {}): { config: HostConfig; problem: FaceError | null } {
  try {
    return { config: loadConfig(options), problem: null };
  } catch (error) {
    const problem = FaceError.wrap(error, 'SDK_UNAVAILABLE');
    const env = options.env ?? process.env;
    const argv = options.argv ?? [];
    let machineLogDir: string | undefined;
    try {
      machineLogDir = machineSettings(options).logDir;
    } catch {
      // Unreadable: `problem` already says so; the user's own log folder is used.
      machineLogDir = undefined;
    }
    return {
      config: {
        sdkPath: null,
        sdkPathSource: 'none',
        timeouts: { ...SDK_TIMEOUT_MS },
        initWaitMs: DEFAULT_INIT_WAIT_MS,
        log: {
          dir: env.POSFACE_LOG_DIR || machineLogDir || defaultLogDir(env, options.platform ?? process.platform),
          stderr: argv.includes('--log-stderr') || truthy(env.POSFACE_LOG_STDERR),
          maxBytes: DEFAULT_LOG_MAX_BYTES,
          files: DEFAULT_LOG_FILES,
        },
        configFile: null,
      },
      problem,
    };
  }
}
