import { FaceError, LIMITS } from '@posface/protocol';
import type { WxpayConfig } from '../config.js';
import { nonceStr, sign, verifySign } from './sign.js';
import { fromXml, toXml } from './xml.js';

/** What the broker asks WeChat for; store and device come from the terminal record, never the client. */
export interface AuthinfoParams {
  store_id: string;
  store_name: string;
  device_id: string;
  rawdata: string;
  attach?: string;
}

export interface UpstreamAuthinfo {
  authinfo: string;
  expiresIn: number;
}

export interface AuthinfoClientOptions {
  /** Base delay of the exponential backoff between retries. */
  backoffMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class RetryableError extends Error {}

/**
 * get_wxpayface_authinfo over WeChat Pay v2: signed XML, a timeout per attempt, bounded retries with
 * backoff for network errors and 5xx only (a timeout is not retried: the caller is already waiting),
 * and the answer's signature verified in constant time when present.
 */
export class AuthinfoClient {
  private readonly backoffMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(
    private readonly config: WxpayConfig,
    options: AuthinfoClientOptions = {},
  ) {
    this.backoffMs = options.backoffMs ?? 200;
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** The signed request fields (exposed for tests). */
  buildRequest(params: AuthinfoParams): Record<string, string | undefined> {
    const c = this.config;
    const fields: Record<string, string | undefined> = {
      store_id: params.store_id,
      store_name: params.store_name,
      device_id: params.device_id,
      attach: params.attach,
      rawdata: params.rawdata,
      appid: c.appid,
      mch_id: c.mchId,
      sub_appid: c.subAppid ?? undefined,
      sub_mch_id: c.subMchId ?? undefined,
      now: String(this.now()),
      version: '1',
      sign_type: c.signType,
      nonce_str: nonceStr(),
    };
    fields.sign = sign(fields, c.apiKey, c.signType);
    return fields;
  }

  async getAuthinfo(params: AuthinfoParams): Promise<UpstreamAuthinfo> {
    const body = toXml(this.buildRequest(params));
    const attempts = this.config.retries + 1;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const text = await this.post(body);
        return this.readAnswer(text);
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        lastError = error;
        if (attempt < attempts) await sleep(this.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
    throw new FaceError('UPSTREAM_ERROR', `WeChat get_wxpayface_authinfo failed after ${attempts} attempts: ${lastError?.message ?? 'unknown'}`, {
      cause: lastError,
      details: { attempts },
    });
  }

  private async post(body: string): Promise<string> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.config.authinfoUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      throw this.transportError(error);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      throw this.transportError(error);
    }
    if (res.status >= 500) throw new RetryableError(`HTTP ${res.status}`);
    if (res.status !== 200) {
      throw new FaceError('UPSTREAM_ERROR', `WeChat get_wxpayface_authinfo answered HTTP ${res.status}`, { details: { status: res.status } });
    }
    return text;
  }

  private transportError(error: unknown): Error {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new FaceError('UPSTREAM_TIMEOUT', `WeChat get_wxpayface_authinfo did not answer within ${this.config.timeoutMs} ms`, { cause: error });
    }
    const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const why = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
    return new RetryableError(`network error (${why})`, { cause: error });
  }

  private readAnswer(text: string): UpstreamAuthinfo {
    let fields: Record<string, string>;
    try {
      fields = fromXml(text);
    } catch (error) {
      throw new FaceError('UPSTREAM_ERROR', `WeChat get_wxpayface_authinfo answered malformed XML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const returnCode = fields.return_code;
    if (returnCode !== 'SUCCESS') {
      const returnMsg = (fields.return_msg ?? '').slice(0, LIMITS.return_msg);
      throw new FaceError('UPSTREAM_ERROR', `WeChat refused get_wxpayface_authinfo: ${returnCode ?? '(no return_code)'} ${returnMsg}`.trim(), {
        returnCode: returnCode ?? '',
        returnMsg,
      });
    }
    if (fields.sign !== undefined && !verifySign(fields, this.config.apiKey, this.config.signType)) {
      throw new FaceError('UPSTREAM_ERROR', "the signature of WeChat's get_wxpayface_authinfo answer does not verify");
    }
    const authinfo = fields.authinfo ?? '';
    const expiresIn = Number(fields.expires_in);
    if (authinfo === '' || authinfo.length > LIMITS.authinfo) {
      throw new FaceError('UPSTREAM_ERROR', `WeChat's answer has ${authinfo === '' ? 'no' : 'an over-long'} authinfo`);
    }
    if (!/^[0-9]{1,6}$/.test(fields.expires_in ?? '') || expiresIn <= 0) {
      throw new FaceError('UPSTREAM_ERROR', "WeChat's answer has no valid expires_in");
    }
    return { authinfo, expiresIn };
  }
}
