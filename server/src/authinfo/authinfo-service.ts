import { FaceError } from '@posface/protocol';
import type { AuthinfoResponse } from '@posface/protocol/api';
import type { WxpayConfig } from '../config.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Terminal } from '../terminals/terminal-store.js';
import type { AuthinfoClient } from '../wxpay/authinfo-client.js';
import { nowSeconds, type AuthinfoCache } from './authinfo-cache.js';

/** The cache key: WeChat binds an authinfo to the device, store and merchant ids (DESIGN.md). */
function cacheKey(terminal: Terminal, wx: WxpayConfig): string {
  return JSON.stringify([terminal.device_id, terminal.store_id, wx.appid, wx.mchId, wx.subAppid ?? '', wx.subMchId ?? '']);
}

export interface AuthinfoServiceOptions {
  /** A refresh calls WeChat only when the cached authinfo is older than this (seconds). */
  refreshIntervalS: number;
  metrics?: Metrics;
}

export class AuthinfoService {
  constructor(
    private readonly client: AuthinfoClient,
    private readonly cache: AuthinfoCache,
    private readonly wx: WxpayConfig,
    private readonly options: AuthinfoServiceOptions,
  ) {}

  /**
   * The terminal's authinfo, from the cache when possible. `refresh` (the SDK rejected the one it had) calls
   * WeChat unless another refresh did so within the refresh interval: then that new one is the answer, so a
   * terminal cannot make the server call WeChat more than once per interval.
   */
  async forTerminal(terminal: Terminal, rawdata: string, options: { refresh?: boolean } = {}): Promise<AuthinfoResponse> {
    const key = cacheKey(terminal, this.wx);
    const metrics = this.options.metrics;
    let missed = false;
    const entry = await this.cache.getOrLoad(
      key,
      async () => {
        missed = true;
        const startedAt = nowSeconds();
        const started = performance.now();
        try {
          const answer = await this.client.getAuthinfo({
            store_id: terminal.store_id,
            store_name: terminal.store_name,
            device_id: terminal.device_id,
            rawdata,
          });
          metrics?.upstreamDuration.observe({ outcome: 'ok' }, (performance.now() - started) / 1000);
          return { authinfo: answer.authinfo, expiresAt: startedAt + answer.expiresIn, ...(options.refresh ? { refreshedAt: startedAt } : {}) };
        } catch (error) {
          const outcome = error instanceof FaceError ? error.code : 'INTERNAL_ERROR';
          metrics?.upstreamDuration.observe({ outcome }, (performance.now() - started) / 1000);
          throw error;
        }
      },
      options.refresh ? { refreshedSince: nowSeconds() - this.options.refreshIntervalS } : {},
    );
    metrics?.authinfoRequests.inc({ result: missed ? 'miss' : 'hit' });
    const now = nowSeconds();
    return { authinfo: entry.authinfo, expires_in: Math.max(0, entry.expiresAt - now), expires_at: entry.expiresAt };
  }
}
