import { pino, type DestinationStream, type Logger } from 'pino';
import { maskPhone, shortHash } from '@posface/protocol';

/**
 * Server logs: the API key, tokens, session cookies, authinfo and rawdata never appear; openids only as a short hash.
 * Request URLs are rewritten because openids, phone numbers and codes travel in paths and queries.
 */

const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'cookie',
  '*.cookie',
  'headers.cookie',
  'req.headers.cookie',
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'authinfo',
  '*.authinfo',
  'rawdata',
  '*.rawdata',
  'sign',
  '*.sign',
  'openid',
  '*.openid',
  'sub_openid',
  '*.sub_openid',
  'unionid',
  '*.unionid',
  'phone',
  '*.phone',
];

/** Percent-decoded text, or the text itself when it is not valid percent-encoding (hashed either way). */
function decodeOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    if (error instanceof URIError) return text;
    throw error;
  }
}

/** Query parameters whose values are logged as they are; every other value is replaced. */
const PLAIN_QUERY_KEYS = new Set(['limit', 'refresh']);

function safeQueryPair(pair: string): string {
  const eq = pair.indexOf('=');
  // A bare item (`?pft_…`) or an odd key may itself be the secret.
  if (eq === -1 || !/^[A-Za-z0-9_.-]{1,32}$/.test(pair.slice(0, eq))) return '[redacted]';
  const key = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  if (key === 'phone') return `phone=${maskPhone(decodeOr(value))}`;
  return PLAIN_QUERY_KEYS.has(key) ? pair : `${key}=[redacted]`;
}

/**
 * The URL as logged: an openid in the path as its hash, the phone masked, and every other query value
 * redacted (pairing codes, tokens, search text: a query can carry anything).
 */
export function safeUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(/\/by-openid\/([^/]+)/, (_m, id: string) => `/by-openid/${shortHash(decodeOr(id))}`);
  if (q === -1) return path;
  return `${path}?${url.slice(q + 1).split('&').map(safeQueryPair).join('&')}`;
}

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
  id?: string;
}

export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: RequestLike) => ({ method: req.method, url: safeUrl(req.url ?? ''), remoteAddress: req.ip }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    stream,
  );
}
