import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, OFFICIAL_AUTHINFO_URL, parseDatabaseUrl } from './config.js';

const GOOD = { WXPAY_APPID: 'wx0000000000000001', WXPAY_MCH_ID: '1900000001', WXPAY_API_KEY: 'K'.repeat(32) };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('server configuration from the environment', () => {
  it('has production defaults', () => {
    const c = loadConfig(GOOD);
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', redisUrl: null, authinfoMarginS: 600, logLevel: 'info' });
    expect(c.database).toMatchObject({ kind: 'sqlite' });
    expect(c.wxpay).toMatchObject({ signType: 'MD5', authinfoUrl: OFFICIAL_AUTHINFO_URL, timeoutMs: 5000, retries: 2, subAppid: null });
  });

  it('reads every setting', () => {
    const c = loadConfig({
      ...GOOD,
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/pos',
      REDIS_URL: 'redis://cache:6379/1',
      WXPAY_SUB_APPID: 'wxsub',
      WXPAY_SUB_MCH_ID: '1900000002',
      WXPAY_SIGN_TYPE: 'HMAC-SHA256',
      WXPAY_AUTHINFO_URL: 'http://127.0.0.1:1/face/get_wxpayface_authinfo',
      WEB_DIST: 'none',
      EXTENSION_DIST: 'none',
    });
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', redisUrl: 'redis://cache:6379/1', webDist: null, extensionDist: null });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/pos', timeouts: { connectMs: 3000, statementMs: 5000 } });
    expect(c.wxpay).toMatchObject({ subAppid: 'wxsub', subMchId: '1900000002', signType: 'HMAC-SHA256' });
  });

  it('reports every bad value at once, one line each, never echoing the key', () => {
    const secret = 'short-secret-key';
    expect(
      problems({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', WXPAY_MCH_ID: 'x'.repeat(33), WXPAY_API_KEY: secret, WXPAY_SIGN_TYPE: 'SHA1', WXPAY_AUTHINFO_URL: 'ftp://x' }),
    ).toEqual([
      'PORT: must be an integer from 0 to 65535, got "eighty"',
      'DATABASE_URL: must be postgres://…, postgresql://…, sqlite:<path> or file:<path>',
      'REDIS_URL: must be redis://… or rediss://…',
      'WXPAY_APPID: required',
      `WXPAY_MCH_ID: must be 1 to 32 letters, digits, "_" or "-", got "${'x'.repeat(33)}"`,
      'WXPAY_API_KEY: must be 32 printable ASCII characters, got 16 characters',
      'WXPAY_SIGN_TYPE: must be one of MD5, HMAC-SHA256, got "SHA1"',
      'WXPAY_AUTHINFO_URL: must be http:// or https://, got "ftp://x"',
    ]);
    expect(String(problems({ WXPAY_API_KEY: secret }))).not.toContain(secret);
  });

  it('has limits and timeouts by default, and reads each', () => {
    const d = loadConfig(GOOD);
    expect(d.http).toEqual({ requestTimeoutMs: 15_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 10_000, connectionTimeoutMs: 60_000, maxConnections: 4096, maxConnectionsPerIp: 256 });
    expect(d).toMatchObject({ orders: { maxLines: 100, maxQuantity: 999, maxTotalFen: 10_000_000, maxAgeDays: 30 }, memberLookupsPerMinute: 30, authinfoRefreshIntervalS: 30, trustProxy: false, hstsMaxAgeS: 31_536_000, metrics: null, loyaltyJobIntervalS: 3600 });
    const c = loadConfig({
      ...GOOD,
      DATABASE_URL: 'postgres://db/pos',
      HTTP_REQUEST_TIMEOUT_MS: '20000',
      HTTP_MAX_CONNECTIONS_PER_IP: '0',
      ORDER_MAX_LINES: '50',
      MEMBER_LOOKUPS_PER_MINUTE: '10',
      DATABASE_STATEMENT_TIMEOUT_MS: '2000',
      TRUST_PROXY: '10.0.0.0/8, loopback',
      METRICS_PORT: '9464',
      LOYALTY_JOB_INTERVAL_S: '60',
    });
    expect(c).toMatchObject({ http: { requestTimeoutMs: 20_000, maxConnectionsPerIp: 0 }, orders: { maxLines: 50 }, memberLookupsPerMinute: 10, trustProxy: ['10.0.0.0/8', 'loopback'], loyaltyJobIntervalS: 60 });
    expect(c.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(c.database).toMatchObject({ kind: 'postgres', timeouts: { connectMs: 3000, statementMs: 2000 } });
  });

  it('refuses limits that contradict each other or the protocol', () => {
    expect(problems({ ...GOOD, HTTP_HEADERS_TIMEOUT_MS: '20000', ORDER_MAX_LINES: '500', TRUST_PROXY: 'proxy.local', HTTP_CONNECTION_TIMEOUT_MS: '5000' })).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS',
      'HTTP_CONNECTION_TIMEOUT_MS: must be at least 20000 (WXPAY_TIMEOUT_MS × (WXPAY_RETRIES + 1) + 5000)',
      'ORDER_MAX_LINES: must be an integer from 1 to 200, got "500"',
      'TRUST_PROXY: each item must be loopback, linklocal, uniquelocal or an IP address/CIDR, got "proxy.local"',
    ]);
  });

  it('parses SQLite locations', () => {
    expect(parseDatabaseUrl('sqlite:/var/lib/pos.sqlite')).toEqual({ kind: 'sqlite', path: '/var/lib/pos.sqlite' });
    expect(parseDatabaseUrl('sqlite:data/x.sqlite', '/srv')).toEqual({ kind: 'sqlite', path: '/srv/data/x.sqlite' });
    expect(parseDatabaseUrl(undefined, '/srv')).toEqual({ kind: 'sqlite', path: '/srv/data/pos.sqlite' });
  });
});
