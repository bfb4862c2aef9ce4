import { FaceError, type ErrorCode } from './errors.js';
import { asObject, describe, invalid, type Json } from './validate.js';

/**
 * The WeChat Pay face SDK contract (docs/sdk-contract.md): commands, their documented
 * fields with limits and enums, and their responses. `version` and `now` are added by the host.
 */

export const SDK_COMMANDS = [
  'initWxpayface',
  'getWxpayfaceRawdata',
  'getWxpayfaceUserInfo',
  'releaseWxpayface',
  'stopWxpayface',
] as const;
export type SdkCommand = (typeof SDK_COMMANDS)[number];

const FACE_AUTHTYPES = ['FACEID-ONCE'] as const;
export const ASK_UNIONID_VALUES = ['0', '1'] as const;
const USE_WINDOW_NOFOCUS_VALUES = ['1'] as const;
/** 0 none, 1 HttpTunnel, 2 Socks5, 3 Http. */
const PROXY_TYPES = [0, 1, 2, 3] as const;
/** 1 = +90°, 2 = 180°, 3 = −90°. */
const CAMERA_ROTATIONS = [1, 2, 3] as const;

/** Field limits from the vendor's page. */
export const LIMITS = {
  rawdata: 2048,
  authinfo: 4096,
  appid: 32,
  mch_id: 32,
  sub_appid: 32,
  sub_mch_id: 32,
  store_id: 32,
  store_name: 128,
  device_id: 32,
  nonce_str: 32,
  return_msg: 128,
} as const;

export type FieldSpec =
  | { type: 'string'; required?: boolean; max?: number; pattern?: RegExp; hint?: string; oneOf?: readonly string[] }
  | { type: 'int'; required?: boolean; oneOf: readonly number[] };

const PROXY_FIELDS: Record<string, FieldSpec> = {
  ip: { type: 'string', max: 64 },
  port: { type: 'string', max: 5, pattern: /^[0-9]+$/, hint: 'digits only' },
  user: { type: 'string', max: 128 },
  passwd: { type: 'string', max: 128 },
  proxy_type: { type: 'int', oneOf: PROXY_TYPES },
  camera_rotation: { type: 'int', oneOf: CAMERA_ROTATIONS },
};

const USER_INFO_FIELDS: Record<string, FieldSpec> = {
  appid: { type: 'string', required: true, max: LIMITS.appid },
  mch_id: { type: 'string', required: true, max: LIMITS.mch_id },
  sub_appid: { type: 'string', max: LIMITS.sub_appid },
  sub_mch_id: { type: 'string', max: LIMITS.sub_mch_id },
  store_id: { type: 'string', required: true, max: LIMITS.store_id },
  face_authtype: { type: 'string', required: true, oneOf: FACE_AUTHTYPES },
  authinfo: { type: 'string', required: true, max: LIMITS.authinfo },
  ask_unionid: { type: 'string', oneOf: ASK_UNIONID_VALUES },
  // "1" is the main screen, others count from 2 in the system's display order.
  screen_index: { type: 'string', max: 1, pattern: /^[1-9]$/, hint: 'a screen number from "1" to "9"' },
  use_window_nofocus: { type: 'string', oneOf: USE_WINDOW_NOFOCUS_VALUES },
};

export const SDK_FIELDS: Record<SdkCommand, Record<string, FieldSpec>> = {
  initWxpayface: PROXY_FIELDS,
  getWxpayfaceRawdata: {},
  getWxpayfaceUserInfo: USER_INFO_FIELDS,
  releaseWxpayface: {},
  stopWxpayface: {},
};

export interface InitParams {
  cmd: 'initWxpayface';
  ip?: string;
  port?: string;
  user?: string;
  passwd?: string;
  proxy_type?: (typeof PROXY_TYPES)[number];
  camera_rotation?: (typeof CAMERA_ROTATIONS)[number];
}
interface RawdataParams {
  cmd: 'getWxpayfaceRawdata';
}
export interface UserInfoParams {
  cmd: 'getWxpayfaceUserInfo';
  appid: string;
  mch_id: string;
  sub_appid?: string;
  sub_mch_id?: string;
  store_id: string;
  face_authtype: (typeof FACE_AUTHTYPES)[number];
  authinfo: string;
  ask_unionid?: (typeof ASK_UNIONID_VALUES)[number];
  screen_index?: string;
  use_window_nofocus?: (typeof USE_WINDOW_NOFOCUS_VALUES)[number];
}
interface ReleaseParams {
  cmd: 'releaseWxpayface';
}
interface StopParams {
  cmd: 'stopWxpayface';
}
export type SdkCallParams = InitParams | RawdataParams | UserInfoParams | ReleaseParams | StopParams;

export interface SdkResultBase {
  return_code: 'SUCCESS';
  return_msg: string;
}
interface RawdataResult extends SdkResultBase {
  rawdata: string;
}
export interface UserInfoResult extends SdkResultBase {
  openid: string;
  sub_openid?: string;
  nickname?: string;
  token?: string;
  unionid_code?: string;
  unionid_msg?: string;
}
interface SdkResultMap {
  initWxpayface: SdkResultBase;
  getWxpayfaceRawdata: RawdataResult;
  getWxpayfaceUserInfo: UserInfoResult;
  releaseWxpayface: SdkResultBase;
  stopWxpayface: SdkResultBase;
}
export type SdkResult<C extends SdkCommand = SdkCommand> = SdkResultMap[C];
export type SdkParamsFor<C extends SdkCommand> = Extract<SdkCallParams, { cmd: C }>;

function isSdkCommand(value: unknown): value is SdkCommand {
  return typeof value === 'string' && (SDK_COMMANDS as readonly string[]).includes(value);
}

/**
 * The command a call's `params` names (an own `cmd` property), or INVALID_REQUEST. The extension reads
 * it to route a call; the host checks the whole call with validateSdkCall.
 */
export function sdkCommandOf(value: unknown, path = 'params'): SdkCommand {
  const obj = asObject(value, path);
  const cmd = Object.hasOwn(obj, 'cmd') ? obj.cmd : undefined;
  if (!isSdkCommand(cmd)) {
    throw invalid(`${path}.cmd`, `must be one of ${SDK_COMMANDS.join(', ')}, got ${JSON.stringify(cmd)}`);
  }
  return cmd;
}

function checkField(name: string, spec: FieldSpec, value: unknown, path: string): void {
  const where = `${path}.${name}`;
  if (spec.type === 'int') {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw invalid(where, `must be an integer, got ${describe(value)}`);
    }
    if (!spec.oneOf.includes(value)) throw invalid(where, `must be one of ${spec.oneOf.join(', ')}, got ${value}`);
    return;
  }
  if (typeof value !== 'string') throw invalid(where, `must be a string, got ${describe(value)}`);
  if (spec.required && value.length === 0) throw invalid(where, 'must not be empty');
  if (spec.max !== undefined && value.length > spec.max) {
    throw invalid(where, `must be at most ${spec.max} characters, got ${value.length}`);
  }
  if (spec.oneOf && !spec.oneOf.includes(value)) {
    throw invalid(where, `must be one of ${spec.oneOf.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  if (spec.pattern && !spec.pattern.test(value)) throw invalid(where, `must be ${spec.hint ?? spec.pattern.source}`);
}

/**
 * Validates the `params` of a `call`: a documented command and only its documented fields.
 * `version` and `now` are refused because the host sets them.
 */
export function validateSdkCall(value: unknown, path = 'params'): SdkCallParams {
  const cmd = sdkCommandOf(value, path);
  const obj = value as Json;
  const fields = SDK_FIELDS[cmd];
  // A fresh object holding only what was checked: that, and nothing else, is what the SDK receives.
  const out: Json = { cmd };
  for (const key of Object.keys(obj)) {
    if (key === 'cmd') continue;
    if (key === 'version' || key === 'now') throw invalid(`${path}.${key}`, 'is set by the host, do not send it');
    // Own fields of the table only: "constructor", "toString" or "__proto__" are not SDK fields.
    const spec = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!spec) throw invalid(`${path}.${fieldName(key)}`, `is not a field of ${cmd}`);
    checkField(key, spec, obj[key], path);
    out[key] = obj[key];
  }
  for (const [key, spec] of Object.entries(fields)) {
    if (spec.required && !Object.hasOwn(obj, key)) throw invalid(`${path}.${key}`, `is required by ${cmd}`);
  }
  return out as unknown as SdkCallParams;
}

/** An unknown key as quoted in an error: at most 40 characters (a page may send 70,000). */
function fieldName(key: string): string {
  return key.length <= 40 ? key : `${key.slice(0, 40)}…`;
}

/**
 * The SDK family's second-level codes: an integer `err_code` beside return_code (WeChat's Android SDK
 * documents it; see wxpay-sim/README.md for what the Windows DLL is assumed to do).
 */
export const SDK_ERR_CODES = {
  /** 刷脸服务未初始化: call initWxpayface (again). */
  notInitialised: 271378620,
  /** 刷脸服务初始化中: call initWxpayface again in about 500 ms. */
  initialising: 271378621,
} as const;

/** The commands that need a session (an initWxpayface that succeeded). */
export const SDK_NEEDS_INIT: ReadonlySet<SdkCommand> = new Set(['getWxpayfaceRawdata', 'getWxpayfaceUserInfo']);

/** What the cashier and IT should do when WxpayFaceService is down (one wording for host, doctor and logs). */
export const FACE_SERVICE_ADVICE = 'start WxpayFaceService on this terminal (IT: set it to start with Windows), then retry';

/** Maps a non-SUCCESS SDK answer to our error code, keeping the SDK's code and message verbatim. */
function sdkErrorCode(returnCode: string, returnMsg: string, context: { cmd?: SdkCommand; errCode?: number } = {}): ErrorCode {
  if (returnCode === 'USER_CANCEL') return 'USER_CANCEL';
  // "Not initialised" for a command that needs no session (init itself, release, stop) means there is
  // no service to hold one: WxpayFaceService is not running.
  if (context.errCode === SDK_ERR_CODES.notInitialised && context.cmd !== undefined && !SDK_NEEDS_INIT.has(context.cmd)) {
    return 'FACE_SERVICE_DOWN';
  }
  // The SDK rejects a stale or foreign authinfo as PARAM_ERROR "AuthInfo License Error" (or similar).
  if (/auth\s*info/i.test(returnMsg)) return 'AUTHINFO_INVALID';
  return 'SDK_ERROR';
}

/** The answer's `err_code` when it is an integer (or a string of digits), else undefined. */
function readErrCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Validates what the SDK answered for `cmd` (already JSON-parsed). SUCCESS gives the typed result;
 * anything else throws the mapped FaceError.
 */
export function parseSdkResponse<C extends SdkCommand>(cmd: C, value: unknown): SdkResult<C> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaceError('SDK_ERROR', `The SDK answered ${cmd} with ${describe(value)} instead of an object`);
  }
  const obj = value as Json;
  const returnCode = obj.return_code;
  const returnMsg = typeof obj.return_msg === 'string' ? obj.return_msg : '';
  if (typeof returnCode !== 'string') {
    throw new FaceError('SDK_ERROR', `The SDK answered ${cmd} without a return_code`);
  }
  if (returnCode !== 'SUCCESS') {
    const errCode = readErrCode(obj.err_code);
    const code = sdkErrorCode(returnCode, returnMsg, errCode === undefined ? { cmd } : { cmd, errCode });
    const answer = `${returnCode} ${returnMsg}${errCode === undefined ? '' : ` (err_code ${errCode})`}`.trim();
    const message = code === 'FACE_SERVICE_DOWN' ? `${cmd}: WxpayFaceService cannot be reached (${answer}): ${FACE_SERVICE_ADVICE}` : `${cmd}: ${answer}`;
    throw new FaceError(code, message, { returnCode, returnMsg, ...(errCode === undefined ? {} : { details: { errCode } }) });
  }
  if (cmd === 'getWxpayfaceRawdata' && (typeof obj.rawdata !== 'string' || obj.rawdata.length === 0)) {
    throw new FaceError('SDK_ERROR', 'getWxpayfaceRawdata succeeded without rawdata');
  }
  if (cmd === 'getWxpayfaceUserInfo' && (typeof obj.openid !== 'string' || obj.openid.length === 0)) {
    throw new FaceError('SDK_ERROR', 'getWxpayfaceUserInfo succeeded without openid');
  }
  return { ...obj, return_msg: returnMsg } as unknown as SdkResult<C>;
}
