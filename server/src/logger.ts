import { pino, type DestinationStream, type Logger } from 'pino';
import { maskPhone, openidHash } from './members/mask.js';

/**
 * Server logs: the API key, tokens, session cookies, authinfo and rawdata never appear; openids only as a short hash.
 * Request URLs are rewritten because openids and phone numbers travel in paths and queries.
 */

export const REDACT_PATHS = [
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

export function safeUrl(url: string): string {
  return url
    .replace(/\/by-openid\/([^/?#]+)/, (_m, id: string) => `/by-openid/${openidHash(decodeOr(id))}`)
    .replace(/([?&]phone=)([^&#]*)/, (_m, k: string, v: string) => `${k}${maskPhone(v) ?? ''}`);
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
