import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The simulator's authinfo and rawdata formats, shared by the fake WeChat backend (which mints) and
 * the C SDK simulator (which verifies, in sdk/authinfo.c). Real ones are opaque; these only need to
 * be unforgeable without the shared secret and bound to the terminal and merchant, as WeChat's are.
 *
 *   rawdata  = base64("WXSIMRAW1|<serial>|<nonce 32 hex>|<now>")
 *   payload  = "WXSIM1|<serial>|<appid>|<mch_id>|<store_id>|<expires_at>|<nonce 16 hex>"
 *   authinfo = base64(payload + "|" + hex(HMAC-SHA256(secret, payload)))
 */

export const SIM_DEFAULT_SECRET = 'posface-sim-dev-secret';
export const SIM_DEFAULT_SERIAL = 'SIM-TERMINAL-0001';

const AUTHINFO_TAG = 'WXSIM1';
const RAWDATA_TAG = 'WXSIMRAW1';

export interface AuthinfoBinding {
  serial: string;
  appid: string;
  mch_id: string;
  store_id: string;
}

interface MintOptions extends AuthinfoBinding {
  /** Seconds of validity (WeChat answers 3600 or 7200). */
  expiresIn?: number;
  /** Unix seconds; defaults to the clock. */
  now?: number;
  secret?: string;
}

interface MintedAuthinfo {
  authinfo: string;
  expires_in: number;
  expires_at: number;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

function checkField(name: string, value: string): void {
  if (value.includes('|')) throw new Error(`${name} must not contain "|"`);
}

const unixNow = (): number => Math.floor(Date.now() / 1000);

export function mintAuthinfo(options: MintOptions): MintedAuthinfo {
  const { serial, appid, mch_id, store_id } = options;
  for (const [name, value] of Object.entries({ serial, appid, mch_id, store_id })) checkField(name, value);
  const now = options.now ?? unixNow();
  const expiresIn = options.expiresIn ?? 3600;
  const expiresAt = now + expiresIn;
  const nonce = randomBytes(8).toString('hex');
  const payload = [AUTHINFO_TAG, serial, appid, mch_id, store_id, String(expiresAt), nonce].join('|');
  const authinfo = Buffer.from(`${payload}|${mac(options.secret ?? SIM_DEFAULT_SECRET, payload)}`, 'utf8').toString('base64');
  return { authinfo, expires_in: expiresIn, expires_at: expiresAt };
}

type AuthinfoCheck =
  | { ok: true; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'mismatch' };

/** What the SDK simulator does in C, for tests and tools on the TypeScript side. */
export function verifyAuthinfo(
  authinfo: string,
  expect: AuthinfoBinding,
  options: { secret?: string; now?: number } = {},
): AuthinfoCheck {
  const text = Buffer.from(authinfo, 'base64').toString('utf8');
  const cut = text.lastIndexOf('|');
  if (cut < 0) return { ok: false, reason: 'malformed' };
  const payload = text.slice(0, cut);
  const given = Buffer.from(text.slice(cut + 1), 'utf8');
  const wanted = Buffer.from(mac(options.secret ?? SIM_DEFAULT_SECRET, payload), 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'signature' };
  const [tag, serial, appid, mchId, storeId, expiresAt] = payload.split('|');
  if (tag !== AUTHINFO_TAG || expiresAt === undefined) return { ok: false, reason: 'malformed' };
  if (serial !== expect.serial || appid !== expect.appid || mchId !== expect.mch_id || storeId !== expect.store_id) {
    return { ok: false, reason: 'mismatch' };
  }
  const expiry = Number(expiresAt);
  if (!Number.isInteger(expiry) || expiry <= (options.now ?? unixNow())) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt: expiry };
}

/** Builds a rawdata as the SDK simulator does (for tests of the backend without the library). */
export function makeRawdata(serial: string, now: number = unixNow()): string {
  checkField('serial', serial);
  return Buffer.from(`${RAWDATA_TAG}|${serial}|${randomBytes(16).toString('hex')}|${now}`, 'utf8').toString('base64');
}

/** The terminal serial inside a rawdata, or null when it is not one of ours. */
export function parseRawdata(rawdata: string): { serial: string; now: number } | null {
  const parts = Buffer.from(rawdata, 'base64').toString('utf8').split('|');
  if (parts.length !== 4 || parts[0] !== RAWDATA_TAG || !parts[1]) return null;
  const now = Number(parts[3]);
  return Number.isInteger(now) ? { serial: parts[1], now } : null;
}
