import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server's configuration, from the environment only. Every bad value is reported at once, one line each:
 *   PORT (8080), HOST (127.0.0.1), DATABASE_URL (sqlite:./data/pos.sqlite | postgres://…), REDIS_URL (none → memory),
 *   WXPAY_APPID*, WXPAY_MCH_ID*, WXPAY_SUB_APPID, WXPAY_SUB_MCH_ID, WXPAY_API_KEY* (32 characters),
 *   WXPAY_SIGN_TYPE (MD5 | HMAC-SHA256; MD5), WXPAY_AUTHINFO_URL (WeChat's endpoint), WXPAY_TIMEOUT_MS (5000),
 *   WXPAY_RETRIES (2), AUTHINFO_CACHE_MARGIN_S (600), WEB_DIST (../web/dist), EXTENSION_DIST (../extension/dist),
 *   LOG_LEVEL (info).
 */

export const OFFICIAL_AUTHINFO_URL = 'https://payapp.weixin.qq.com/face/get_wxpayface_authinfo';
export const SIGN_TYPES = ['MD5', 'HMAC-SHA256'] as const;
export type SignType = (typeof SIGN_TYPES)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema?: string };

export interface WxpayConfig {
  appid: string;
  mchId: string;
  subAppid: string | null;
  subMchId: string | null;
  apiKey: string;
  signType: SignType;
  authinfoUrl: string;
  timeoutMs: number;
  retries: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  database: DatabaseConfig;
  redisUrl: string | null;
  wxpay: WxpayConfig;
  /** Seconds before WeChat's expiry at which a cached authinfo stops being handed out. */
  authinfoMarginS: number;
  /** The built POS to serve, or null. */
  webDist: string | null;
  /** The folder holding the extension's update.xml and signed .crx (served to Chrome), or null. */
  extensionDist: string | null;
  logLevel: (typeof LOG_LEVELS)[number];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Bad configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SERVER_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const DEFAULT_WEB_DIST = resolve(SERVER_ROOT, '..', 'web', 'dist');
export const DEFAULT_EXTENSION_DIST = resolve(SERVER_ROOT, '..', 'extension', 'dist');
export const DEFAULT_SQLITE_PATH = './data/pos.sqlite';

type Env = Readonly<Record<string, string | undefined>>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!/^[0-9]+$/.test(v) || Number(v) < min || Number(v) > max) {
      this.problems.push(`${name}: must be an integer from ${min} to ${max}, got "${v}"`);
      return fallback;
    }
    return Number(v);
  }

  /** An identifier WeChat limits to `max` characters; never echoes secrets. */
  id(name: string, required: boolean, max: number): string | null {
    const v = this.raw(name);
    if (v === undefined) {
      if (required) this.problems.push(`${name}: required`);
      return null;
    }
    if (!/^[A-Za-z0-9_-]+$/.test(v) || v.length > max) {
      this.problems.push(`${name}: must be 1 to ${max} letters, digits, "_" or "-", got "${v}"`);
      return null;
    }
    return v;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!values.includes(v as T)) {
      this.problems.push(`${name}: must be one of ${values.join(', ')}, got "${v}"`);
      return fallback;
    }
    return v as T;
  }
}

export function parseDatabaseUrl(value: string | undefined, cwd: string = process.cwd()): DatabaseConfig | string {
  if (value === undefined) return { kind: 'sqlite', path: resolve(cwd, DEFAULT_SQLITE_PATH) };
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch (error) {
      return `not a valid URL (${error instanceof Error ? error.message : String(error)})`;
    }
    return { kind: 'postgres', url: value };
  }
  const m = /^(?:sqlite|file):(.+)$/.exec(value);
  if (m?.[1]) {
    const path = m[1].replace(/^\/\/(?=\/)/, '');
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  return 'must be postgres://…, postgresql://…, sqlite:<path> or file:<path>';
}

/** Only what the CLIs need (they run without WeChat settings). */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const db = parseDatabaseUrl(env.DATABASE_URL?.trim() || undefined);
  if (typeof db === 'string') throw new ConfigError([`DATABASE_URL: ${db}`]);
  return db;
}

export function loadConfig(env: Env = process.env): ServerConfig {
  const r = new Reader(env);
  const port = r.int('PORT', 8080, 0, 65535);
  const host = r.raw('HOST') ?? '127.0.0.1';

  const db = parseDatabaseUrl(r.raw('DATABASE_URL'));
  if (typeof db === 'string') r.problems.push(`DATABASE_URL: ${db}`);

  const redisUrl = r.raw('REDIS_URL') ?? null;
  if (redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) r.problems.push('REDIS_URL: must be redis://… or rediss://…');

  const appid = r.id('WXPAY_APPID', true, 32);
  const mchId = r.id('WXPAY_MCH_ID', true, 32);
  const subAppid = r.id('WXPAY_SUB_APPID', false, 32);
  const subMchId = r.id('WXPAY_SUB_MCH_ID', false, 32);
  const apiKey = r.raw('WXPAY_API_KEY');
  // The key itself is never echoed, only what is wrong with it.
  if (apiKey === undefined) r.problems.push('WXPAY_API_KEY: required (the merchant API v2 key)');
  else if (!/^[\x21-\x7e]{32}$/.test(apiKey)) r.problems.push(`WXPAY_API_KEY: must be 32 printable ASCII characters, got ${apiKey.length} characters`);
  const signType = r.oneOf('WXPAY_SIGN_TYPE', SIGN_TYPES, 'MD5');
  const authinfoUrl = r.raw('WXPAY_AUTHINFO_URL') ?? OFFICIAL_AUTHINFO_URL;
  let urlOk = false;
  try {
    urlOk = ['http:', 'https:'].includes(new URL(authinfoUrl).protocol);
  } catch (error) {
    r.problems.push(`WXPAY_AUTHINFO_URL: not a valid URL (${error instanceof Error ? error.message : String(error)})`);
    urlOk = true;
  }
  if (!urlOk) r.problems.push(`WXPAY_AUTHINFO_URL: must be http:// or https://, got "${authinfoUrl}"`);
  const timeoutMs = r.int('WXPAY_TIMEOUT_MS', 5000, 100, 60_000);
  const retries = r.int('WXPAY_RETRIES', 2, 0, 5);
  const authinfoMarginS = r.int('AUTHINFO_CACHE_MARGIN_S', 600, 0, 3000);
  const folder = (name: string, fallback: string) => {
    const raw = r.raw(name);
    return raw === 'none' ? null : resolve(raw ?? fallback);
  };
  const webDist = folder('WEB_DIST', DEFAULT_WEB_DIST);
  const extensionDist = folder('EXTENSION_DIST', DEFAULT_EXTENSION_DIST);
  const logLevel = r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');

  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return {
    host,
    port,
    database: db as DatabaseConfig,
    redisUrl,
    wxpay: {
      appid: appid ?? '',
      mchId: mchId ?? '',
      subAppid,
      subMchId,
      apiKey: apiKey ?? '',
      signType,
      authinfoUrl,
      timeoutMs,
      retries,
    },
    authinfoMarginS,
    webDist,
    extensionDist,
    logLevel,
  };
}
