import type { AuthinfoResponse } from '@posface/protocol/api';
import type { WxpayConfig } from '../config.js';
import type { Terminal } from '../terminals/terminal-store.js';
import type { AuthinfoClient } from '../wxpay/authinfo-client.js';
import { nowSeconds, type AuthinfoCache } from './authinfo-cache.js';

/** The cache key: WeChat binds an authinfo to the device, store and merchant ids (DESIGN.md). */
export function cacheKey(terminal: Terminal, wx: WxpayConfig): string {
  return JSON.stringify([terminal.device_id, terminal.store_id, wx.appid, wx.mchId, wx.subAppid ?? '', wx.subMchId ?? '']);
}

export class AuthinfoService {
  constructor(
    private readonly client: AuthinfoClient,
    private readonly cache: AuthinfoCache,
    private readonly wx: WxpayConfig,
  ) {}

  async forTerminal(terminal: Terminal, rawdata: string, options: { refresh?: boolean } = {}): Promise<AuthinfoResponse> {
    const key = cacheKey(terminal, this.wx);
    if (options.refresh) await this.cache.delete(key);
    const entry = await this.cache.getOrLoad(key, async () => {
      const startedAt = nowSeconds();
      const answer = await this.client.getAuthinfo({
        store_id: terminal.store_id,
        store_name: terminal.store_name,
        device_id: terminal.device_id,
        rawdata,
      });
      return { authinfo: answer.authinfo, expiresAt: startedAt + answer.expiresIn };
    });
    const now = nowSeconds();
    return { authinfo: entry.authinfo, expires_in: Math.max(0, entry.expiresAt - now), expires_at: entry.expiresAt };
  }
}
