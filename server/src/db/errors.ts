import { FaceError } from '@posface/protocol';

/**
 * Database failures that mean "not now" rather than "wrong": timeouts, a server that is down, restarting
 * or refusing connections, a SQLite file locked past busy_timeout. They answer 503 DATABASE_UNAVAILABLE,
 * so the till says "try again shortly" instead of "internal error" and operators see the cause.
 */

// PostgreSQL SQLSTATEs: 57014 statement timeout, 55P03 lock timeout, 57P01–57P03 shutdown/restart,
// 53300 too many connections; class 08 connection exceptions.
const PG_UNAVAILABLE = new Set(['57014', '55P03', '57P01', '57P02', '57P03', '53300']);
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres' own messages for a client-side deadline or a lost connection.
const PG_CLIENT_MESSAGES = [
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
];

function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (PG_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code) || NET_CODES.has(code)) return true;
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
  }
  if (typeof message === 'string' && PG_CLIENT_MESSAGES.some((m) => message.startsWith(m))) return true;
  // AggregateError (every address refused) and wrapped causes.
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  const nested: unknown[] = [cause, ...(Array.isArray(errors) ? errors : [])];
  return nested.some((e) => isDatabaseUnavailable(e, depth + 1));
}

/** 22003: a value out of its column's range. The order limits keep it from happening; if it does, it is still the request's size. */
function isOutOfRange(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '22003';
}

/** The FaceError a database failure answers with, or null for a failure that is a bug (500). */
export function databaseFaceError(error: unknown): FaceError | null {
  if (isDatabaseUnavailable(error)) {
    return new FaceError('DATABASE_UNAVAILABLE', 'the database is unavailable or too slow right now; try again shortly', { cause: error });
  }
  if (isOutOfRange(error)) return new FaceError('LIMIT_EXCEEDED', 'a value is beyond what the database can store', { cause: error });
  return null;
}
