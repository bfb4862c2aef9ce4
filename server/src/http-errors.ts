import { FaceError, type ErrorCode } from '@posface/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';

/** One place mapping errors to HTTP: `{ error: FaceErrorData }` with the shared codes. */

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAIRING_CODE_INVALID: 401,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MESSAGE_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UPSTREAM_ERROR: 502,
  UPSTREAM_TIMEOUT: 504,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** "body.lines[0].quantity: must be >= 1", naming the field the client got wrong. */
export function describeValidation(context: string, issues: readonly ValidationIssue[]): { message: string; field: string } {
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

export function toFaceError(error: FastifyError | FaceError | Error): FaceError {
  if (error instanceof FaceError) return error;
  const fe = error as FastifyError;
  if (Array.isArray(fe.validation)) {
    const { message, field } = describeValidation(fe.validationContext ?? 'request', fe.validation as ValidationIssue[]);
    return new FaceError('INVALID_REQUEST', message, { details: { field } });
  }
  if (fe.statusCode === 413) return new FaceError('MESSAGE_TOO_LARGE', fe.message);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new FaceError('INVALID_REQUEST', fe.message, { details: fe.code ? { fastify: fe.code } : undefined });
  }
  return new FaceError('INTERNAL_ERROR', 'internal server error', { cause: error });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const fe = toFaceError(error);
    const status = statusFor(fe.code);
    if (status >= 500) request.log.error({ err: error, code: fe.code }, fe.message);
    else request.log.info({ code: fe.code }, fe.message);
    return reply.code(status).send({ error: fe.toJSON() });
  });
}
