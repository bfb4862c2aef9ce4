import { shortHash } from '@posface/protocol';

/** Personal data and credentials: logged as a short hash (to correlate lines) or not at all. */
const HASHED_KEYS = new Set(['openid', 'sub_openid', 'unionid', 'nickname', 'authinfo', 'rawdata', 'token', 'unionid_code']);
const HIDDEN_KEYS = new Set(['passwd', 'user', 'password', 'secret', 'key', 'api_key']);

/** A deep copy of `value` with personal data hashed and credentials hidden. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  // No prototype: a "__proto__" key is copied as data, not taken as this object's prototype.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) {
    if (HIDDEN_KEYS.has(key)) out[key] = '[hidden]';
    else if (HASHED_KEYS.has(key) && typeof item === 'string') out[key] = shortHash(item);
    else out[key] = redact(item, depth + 1);
  }
  return out;
}
