/** One list of error codes for every part of the chain (page, extension, host, server). */
export const ERROR_CODES = [
  // page ⇄ extension
  'EXTENSION_UNAVAILABLE',
  'ORIGIN_NOT_ALLOWED',
  // extension ⇄ host (Chrome's native messaging errors)
  'HOST_NOT_FOUND',
  'HOST_FORBIDDEN',
  'HOST_EXITED',
  'HOST_ERROR',
  // any boundary
  'INVALID_REQUEST',
  'MESSAGE_TOO_LARGE',
  'TIMEOUT',
  'BUSY',
  'VERSION_MISMATCH',
  // the SDK
  'SDK_UNAVAILABLE',
  'SDK_CALL_FAILED',
  'SDK_ERROR',
  // WxpayFaceService (the vendor's program the SDK talks to) is not running or cannot be reached
  'FACE_SERVICE_DOWN',
  'USER_CANCEL',
  'AUTHINFO_INVALID',
  // server
  'UNAUTHORIZED',
  /** A pairing code that is unknown, expired or already used (details.reason says which). */
  'PAIRING_CODE_INVALID',
  /** A cookie-authenticated change without the POS's request header or a same-origin Origin. */
  'CSRF_REJECTED',
  /** Authenticated, but the role lacks the permission (back office: protocol's PERMISSIONS). */
  'FORBIDDEN',
  /** Too many attempts: wait for details.retry_after_s seconds. */
  'RATE_LIMITED',
  'NOT_FOUND',
  'CONFLICT',
  'UPSTREAM_ERROR',
  'UPSTREAM_TIMEOUT',
  /** An order over its configured limits (lines, quantity, total). */
  'LIMIT_EXCEEDED',
  /** A member's balance is lower than the points to redeem or debit (details.balance). */
  'POINTS_INSUFFICIENT',
  /** Points that may not be redeemed on this order (details.reason: no_member | disabled | step | over_cap). */
  'REDEMPTION_NOT_ALLOWED',
  /** A refund of more than is left of a line, or of an order refunded already (details.line_no, details.refundable). */
  'REFUND_EXCEEDS_SALE',
  /** The server's database timed out or is down: retry shortly. */
  'DATABASE_UNAVAILABLE',
  'INTERNAL_ERROR',
  // page ⇄ server transport (the server could not be reached at all)
  'NETWORK_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}

/** The serialised form of a FaceError: what crosses postMessage, native messaging and HTTP. */
export interface FaceErrorData {
  code: ErrorCode;
  message: string;
  /** The SDK's or WeChat's own return_code, verbatim, when the error came from there. */
  returnCode?: string;
  /** The SDK's or WeChat's own return_msg, verbatim. */
  returnMsg?: string;
  /** Extra machine-readable context (never secrets, never openids). */
  details?: Record<string, unknown>;
}

export class FaceError extends Error {
  readonly code: ErrorCode;
  readonly returnCode: string | undefined;
  readonly returnMsg: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { returnCode?: string; returnMsg?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'FaceError';
    this.code = code;
    this.returnCode = extra.returnCode;
    this.returnMsg = extra.returnMsg;
    this.details = extra.details;
  }

  toJSON(): FaceErrorData {
    const data: FaceErrorData = { code: this.code, message: this.message };
    if (this.returnCode !== undefined) data.returnCode = this.returnCode;
    if (this.returnMsg !== undefined) data.returnMsg = this.returnMsg;
    if (this.details !== undefined) data.details = this.details;
    return data;
  }

  /**
   * Rebuilds an error that crossed a boundary. Anything that is not a well-formed error becomes
   * `fallback` (a peer that answers garbage is itself an error, not a reason to crash).
   */
  static fromJSON(value: unknown, fallback: ErrorCode = 'HOST_ERROR'): FaceError {
    if (typeof value === 'object' && value !== null) {
      const v = value as Record<string, unknown>;
      const message = typeof v.message === 'string' ? v.message : 'Unknown error';
      const extra: { returnCode?: string; returnMsg?: string; details?: Record<string, unknown> } = {};
      if (typeof v.returnCode === 'string') extra.returnCode = v.returnCode;
      if (typeof v.returnMsg === 'string') extra.returnMsg = v.returnMsg;
      if (typeof v.details === 'object' && v.details !== null && !Array.isArray(v.details)) {
        extra.details = v.details as Record<string, unknown>;
      }
      if (isErrorCode(v.code)) return new FaceError(v.code, message, extra);
      return new FaceError(fallback, `Malformed error from peer: ${JSON.stringify(value).slice(0, 200)}`, extra);
    }
    return new FaceError(fallback, `Malformed error from peer: ${String(value).slice(0, 200)}`);
  }

  /** Wraps anything thrown into a FaceError, keeping a FaceError as it is. */
  static wrap(error: unknown, code: ErrorCode = 'HOST_ERROR'): FaceError {
    if (error instanceof FaceError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new FaceError(code, message, { cause: error });
  }
}
