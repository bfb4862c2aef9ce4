import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ORDER_LINES_MAX, ORDER_QUANTITY_MAX } from '@posface/protocol';

/**
 * The server's configuration, from the environment only. Every bad value is reported at once, one line each:
 *   PORT (8080), HOST (127.0.0.1), DATABASE_URL (sqlite:./data/pos.sqlite | postgres://…), REDIS_URL (none → memory),
 *   WXPAY_APPID*, WXPAY_MCH_ID*, WXPAY_SUB_APPID, WXPAY_SUB_MCH_ID, WXPAY_API_KEY* (32 characters),
 *   WXPAY_SIGN_TYPE (MD5 | HMAC-SHA256; MD5), WXPAY_AUTHINFO_URL (WeChat's endpoint), WXPAY_TIMEOUT_MS (5000),
 *   WXPAY_RETRIES (2), AUTHINFO_CACHE_MARGIN_S (600), AUTHINFO_REFRESH_INTERVAL_S (30), WEB_DIST (../web/dist),
 *   ADMIN_DIST (../admin/dist), EXTENSION_DIST (../extension/dist), LOG_LEVEL (info); the HTTP_*, ORDER_*, MEMBER_LOOKUPS_PER_MINUTE,
 *   DATABASE_*_TIMEOUT_MS, TRUST_PROXY, HSTS_MAX_AGE_S and METRICS_* limits below (docs/server-operations.md
 *   says why each default), LOYALTY_JOB_INTERVAL_S (3600).
 */

export const OFFICIAL_AUTHINFO_URL = 'https://payapp.weixin.qq.com/face/get_wxpayface_authinfo';
export const SIGN_TYPES = ['MD5', 'HMAC-SHA256'] as const;
export type SignType = (typeof SIGN_TYPES)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; schema?: string; timeouts?: DatabaseTimeouts };

export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free one from the pool. */
  connectMs: number;
  /** One statement (server side), and a client-side deadline a little later for a frozen server. */
  statementMs: number;
}
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 3000, statementMs: 5000 };

/** The HTTP server's own limits (Node's http.Server), against slow and numerous clients. */
export interface HttpLimits {
  /** From a request's first byte to its last: a slow body is cut off (408) after this. */
  requestTimeoutMs: number;
  /** From a connection's (or request's) start until its headers are complete. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic either way is closed after this (also while a handler works). */
  connectionTimeoutMs: number;
  /** Connections held at once; more are refused at accept, before they cost a file descriptor for long. */
  maxConnections: number;
  /** Connections one remote address may hold at once; 0 = no limit (behind a proxy every client is the proxy). */
  maxConnectionsPerIp: number;
}

/** Bounds on one order, so points and money stay far inside 64-bit columns and safe JS integers. */
export interface OrderLimits {
  maxLines: number;
  maxQuantity: number;
  maxTotalFen: number;
  /** A sale synced from an offline till may have been sold at most this many days ago. */
  maxAgeDays: number;
}

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
  /** The built admin app (back office) to serve at /admin/, or null. */
  adminDist: string | null;
  /** The folder holding the extension's update.xml and signed .crx (served to Chrome), or null. */
  extensionDist: string | null;
  logLevel: (typeof LOG_LEVELS)[number];
  http: HttpLimits;
  orders: OrderLimits;
  /** Member lookups (by openid, by phone, enrolment) one terminal may make per minute, per route. */
  memberLookupsPerMinute: number;
  /** `?refresh=true` calls WeChat unless another refresh of the terminal did within this many seconds. */
  authinfoRefreshIntervalS: number;
  /** Fastify `trustProxy`: false, or the proxies' addresses/CIDRs (`loopback` etc. as proxy-addr knows them). */
  trustProxy: false | string[];
  /** HSTS max-age sent on HTTPS requests (as a trusted proxy reports them); 0 = never. */
  hstsMaxAgeS: number;
  /** A separate listener for GET /metrics (Prometheus), or null for none. */
  metrics: { host: string; port: number } | null;
  /** The loyalty job (points expiry, tier refresh) runs at start and then this often. */
  loyaltyJobIntervalS: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Bad configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SERVER_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const DEFAULT_WEB_DIST = resolve(SERVER_ROOT, '..', 'web', 'dist');
const DEFAULT_ADMIN_DIST = resolve(SERVER_ROOT, '..', 'admin', 'dist');
const DEFAULT_EXTENSION_DIST = resolve(SERVER_ROOT, '..', 'extension', 'dist');
const DEFAULT_SQLITE_PATH = './data/pos.sqlite';

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

  /** A comma-separated list whose items each match `item` (empty when unset). */
  list(name: string, item: RegExp, hint: string): string[] {
    const v = this.raw(name);
    if (v === undefined) return [];
    const items = v.split(',').map((x) => x.trim());
    const bad = items.filter((x) => !item.test(x));
    if (bad.length > 0) this.problems.push(`${name}: each item must be ${hint}, got "${bad.join('", "')}"`);
    return bad.length > 0 ? [] : items;
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
  const adminDist = folder('ADMIN_DIST', DEFAULT_ADMIN_DIST);
  const logLevel = r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');

  const http: HttpLimits = {
    requestTimeoutMs: r.int('HTTP_REQUEST_TIMEOUT_MS', 15_000, 1000, 600_000),
    headersTimeoutMs: r.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000),
    keepAliveTimeoutMs: r.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 10_000, 1000, 600_000),
    connectionTimeoutMs: r.int('HTTP_CONNECTION_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    maxConnections: r.int('HTTP_MAX_CONNECTIONS', 4096, 16, 1_000_000),
    maxConnectionsPerIp: r.int('HTTP_MAX_CONNECTIONS_PER_IP', 256, 0, 1_000_000),
  };
  if (http.headersTimeoutMs > http.requestTimeoutMs) r.problems.push('HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
  // A socket is idle while the authinfo broker waits on WeChat: it must outlast every attempt.
  const upstreamMs = timeoutMs * (retries + 1) + 5000;
  if (http.connectionTimeoutMs < upstreamMs) {
    r.problems.push(`HTTP_CONNECTION_TIMEOUT_MS: must be at least ${upstreamMs} (WXPAY_TIMEOUT_MS × (WXPAY_RETRIES + 1) + 5000)`);
  }
  const orders: OrderLimits = {
    maxLines: r.int('ORDER_MAX_LINES', 100, 1, ORDER_LINES_MAX),
    maxQuantity: r.int('ORDER_MAX_QUANTITY', 999, 1, ORDER_QUANTITY_MAX),
    maxTotalFen: r.int('ORDER_MAX_TOTAL_FEN', 10_000_000, 1, 1_000_000_000_000),
    maxAgeDays: r.int('ORDER_MAX_AGE_DAYS', 30, 1, 365),
  };
  const memberLookupsPerMinute = r.int('MEMBER_LOOKUPS_PER_MINUTE', 30, 1, 100_000);
  const authinfoRefreshIntervalS = r.int('AUTHINFO_REFRESH_INTERVAL_S', 30, 1, 3600);
  const databaseTimeouts: DatabaseTimeouts = {
    connectMs: r.int('DATABASE_CONNECT_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.connectMs, 100, 60_000),
    statementMs: r.int('DATABASE_STATEMENT_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.statementMs, 100, 600_000),
  };
  const trustProxy = r.list('TRUST_PROXY', /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/[0-9]{1,3})?)$/, 'loopback, linklocal, uniquelocal or an IP address/CIDR');
  const hstsMaxAgeS = r.int('HSTS_MAX_AGE_S', 31_536_000, 0, 63_072_000);
  const metricsPort = r.raw('METRICS_PORT') === undefined ? null : r.int('METRICS_PORT', 0, 0, 65535);
  const metricsHost = r.raw('METRICS_HOST') ?? '127.0.0.1';
  const loyaltyJobIntervalS = r.int('LOYALTY_JOB_INTERVAL_S', 3600, 10, 86_400);

  if (typeof db === 'string' || r.problems.length > 0) throw new ConfigError(r.problems);
  return {
    host,
    port,
    database: db.kind === 'postgres' ? { ...db, timeouts: databaseTimeouts } : db,
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
    adminDist,
    extensionDist,
    logLevel,
    http,
    orders,
    memberLookupsPerMinute,
    authinfoRefreshIntervalS,
    trustProxy: trustProxy.length === 0 ? false : trustProxy,
    hstsMaxAgeS,
    metrics: metricsPort === null ? null : { host: metricsHost, port: metricsPort },
    loyaltyJobIntervalS,
  };
}
