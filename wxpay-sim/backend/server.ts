import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { SIM_DEFAULT_SECRET, mintAuthinfo } from '../src/authinfo.js';
import { checkAuthinfoRequest } from './check-request.js';
import { FaultSwitch, type Faults } from './faults.js';
import { wxSign } from './sign.js';
import { buildXml, parseXml } from './xml.js';

export const AUTHINFO_PATH = '/face/get_wxpayface_authinfo';
/** Admin routes for the standalone run (tests use the returned object instead). */
export const ADMIN_FAULTS_PATH = '/__sim/faults';
export const ADMIN_STATS_PATH = '/__sim/stats';

export interface FakeBackendOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The merchant API key requests are signed with (the server's WXPAY_API_KEY). */
  apiKey: string;
  /** The secret shared with the SDK simulator (WXPAYFACE_SIM_SECRET). */
  secret?: string;
  /** Seconds of validity of minted authinfos. */
  expiresIn?: number;
  faults?: Partial<Faults>;
  /** Logs one line per request to stderr (standalone run). */
  log?: boolean;
}

export interface BackendStats {
  requests: number;
  succeeded: number;
  /** The fields of the last request that parsed, as received (tests check Chinese text arrived intact). */
  lastFields: Record<string, string> | null;
}

export interface FakeBackend {
  /** The full authinfo endpoint URL (WXPAY_AUTHINFO_URL). */
  url: string;
  baseUrl: string;
  port: number;
  faults: FaultSwitch;
  stats(): BackendStats;
  resetStats(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const nonce = () => randomBytes(16).toString('hex');

export function buildFakeBackend(options: FakeBackendOptions): { app: FastifyInstance; faults: FaultSwitch; stats: BackendStats } {
  const { apiKey } = options;
  const secret = options.secret ?? SIM_DEFAULT_SECRET;
  const expiresIn = options.expiresIn ?? 7200;
  const faults = new FaultSwitch();
  if (options.faults) faults.set(options.faults);
  const stats: BackendStats = { requests: 0, succeeded: 0, lastFields: null };

  // forceCloseConnections: the `timeout` fault leaves requests hanging; close() must still finish.
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 64 * 1024 });
  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post(AUTHINFO_PATH, async (request, reply) => {
    stats.requests += 1;
    const fault = faults.take();
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    reply.type('text/xml; charset=utf-8');
    switch (fault.mode) {
      case 'timeout':
        return new Promise<never>(() => undefined);
      case 'http5xx':
        return reply.code(fault.status).type('text/plain').send('Service Unavailable');
      case 'malformed':
        return '<xml><return_code><![CDATA[SUCCESS]]></return_code><authinfo>';
      case 'systemError':
        return buildXml({ return_code: 'SYSTEMERROR', return_msg: '系统繁忙,请稍后再试' });
      default:
        break;
    }
    const parsed = parseXml(typeof request.body === 'string' ? request.body : '');
    if (!parsed.ok) return buildXml({ return_code: 'PARAM_ERROR', return_msg: `XML格式错误: ${parsed.problem}` });
    stats.lastFields = parsed.fields;
    const check = checkAuthinfoRequest(parsed.fields, apiKey, Math.floor(Date.now() / 1000));
    if (!check.ok) return buildXml({ return_code: check.returnCode, return_msg: check.returnMsg });
    const { fields, signType, serial } = check.call;
    const minted = mintAuthinfo({
      serial,
      appid: fields.appid ?? '',
      mch_id: fields.mch_id ?? '',
      store_id: fields.store_id ?? '',
      expiresIn,
      secret,
    });
    const answer: Record<string, string | undefined> = {
      return_code: 'SUCCESS',
      return_msg: '请求成功',
      appid: fields.appid,
      mch_id: fields.mch_id,
      sub_appid: fields.sub_appid,
      sub_mch_id: fields.sub_mch_id,
      authinfo: minted.authinfo,
      expires_in: String(minted.expires_in),
      nonce_str: nonce(),
    };
    answer.sign = wxSign(answer, fault.mode === 'badSign' ? `${apiKey}-wrong` : apiKey, signType);
    stats.succeeded += 1;
    return buildXml(answer);
  });

  app.get(ADMIN_FAULTS_PATH, async () => faults.get());
  app.put(ADMIN_FAULTS_PATH, async (request, reply) => {
    try {
      return faults.set(request.body as Partial<Faults>);
    } catch (error) {
      return reply.code(400).send({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  app.get(ADMIN_STATS_PATH, async () => ({ requests: stats.requests, succeeded: stats.succeeded }));

  if (options.log) {
    app.addHook('onResponse', async (request, reply) => {
      process.stderr.write(`[wxpay-sim backend] ${request.method} ${request.url} → ${reply.statusCode}\n`);
    });
  }
  return { app, faults, stats };
}

/** Starts the fake WeChat backend on loopback (port 0 by default) for tests, the demo and benchmarks. */
export async function startFakeWxpayBackend(options: FakeBackendOptions): Promise<FakeBackend> {
  const { app, faults, stats } = buildFakeBackend(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fake backend: no TCP address');
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    url: `${baseUrl}${AUTHINFO_PATH}`,
    baseUrl,
    port: address.port,
    faults,
    stats: () => ({ ...stats }),
    resetStats: () => {
      stats.requests = 0;
      stats.succeeded = 0;
      stats.lastFields = null;
    },
    close: () => app.close(),
  };
}
