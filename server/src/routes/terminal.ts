import { TerminalInfo } from '@posface/protocol/api';
import { terminalOf } from '../auth/terminal-auth.js';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/** GET /api/v1/terminal: the terminal's store/device and the face settings the page passes to the SDK. */
export function terminalRoutes(app: Api, deps: RouteDeps): void {
  const wx = deps.config.wxpay;
  app.get('/terminal', { schema: { response: { 200: TerminalInfo, ...ERROR_RESPONSES } } }, async (request) => {
    const t = terminalOf(request);
    return {
      store: { id: t.store_id, name: t.store_name },
      device_id: t.device_id,
      face: {
        appid: wx.appid,
        mch_id: wx.mchId,
        ...(wx.subAppid ? { sub_appid: wx.subAppid } : {}),
        ...(wx.subMchId ? { sub_mch_id: wx.subMchId } : {}),
        store_id: t.store_id,
        ask_unionid: t.ask_unionid,
        screen_index: t.screen_index,
        release_after_session: t.release_after_session,
      },
    };
  });
}
