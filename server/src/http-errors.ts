import { FaceError, statusForCode } from '@posface/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { databaseFaceError } from './db/errors.js';

/** One place mapping errors to HTTP: `{ error: FaceErrorData }` with the shared codes. */

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** "body.lines[0].quantity: must be >= 1", naming the field the client got wrong. */
function describeValidation(context: string, issues: readonly ValidationIssue[]): { message: string; field: string } {
  // TypeBox reports an unknown field twice ("schema is false" at the field, then additionalProperties): prefer the latter.
  const first = issues.find((i) => i.keyword !== 'boolean') ?? issues[0] ?? {};
  const path = (first.instancePath ?? '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (/^[0-9]+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
  let field = `${context}${path}`;
  let problem = first.keyword === 'boolean' ? 'is not a known field' : (first.message ?? 'is not valid');
  const params = first.params ?? {};
  const listed = (key: string) => (Array.isArray(params[key]) ? (params[key] as unknown[]).map(String) : []);
  if (first.keyword === 'required' && listed('requiredProperties').length > 0) {
    field = `${field}.${listed('requiredProperties').join(', ')}`;
    problem = 'is required';
  } else if (first.keyword === 'additionalProperties' && listed('additionalProperties').length > 0) {
    field = `${field}.${listed('additionalProperties').join(', ')}`;
    problem = 'is not a known field';
  }
  return { message: `${field}: ${problem}`, field };
}

function toFaceError(error: FastifyError | FaceError | Error): FaceError {
  if (error instanceof FaceError) return error;
  const fe = error as FastifyError;
  if (Array.isArray(fe.validation)) {
    const { message, field } = describeValidation(fe.validationContext ?? 'request', fe.validation as ValidationIssue[]);
    return new FaceError('INVALID_REQUEST', message, { details: { field } });
  }
  if (fe.statusCode === 413) return new FaceError('MESSAGE_TOO_LARGE', fe.message);
  const db = databaseFaceError(error);
  if (db !== null) return db;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new FaceError('INVALID_REQUEST', fe.message, { details: fe.code ? { fastify: fe.code } : undefined });
  }
  return new FaceError('INTERNAL_ERROR', 'internal server error', { cause: error });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const fe = toFaceError(error);
    const status = statusForCode(fe.code);
    if (status === 503) request.log.warn({ err: error, code: fe.code }, fe.message);
    else if (status >= 500) request.log.error({ err: error, code: fe.code }, fe.message);
    else request.log.info({ code: fe.code }, fe.message);
    // Refused before its body was read: end the connection, or a client could keep feeding an unwanted
    // body (one byte at a time) on a connection it holds open.
    if (status === 401 || status === 413) reply.header('connection', 'close');
    return reply.code(status).send({ error: fe.toJSON() });
  });
}
