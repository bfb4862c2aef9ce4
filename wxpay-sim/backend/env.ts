import { SIM_DEFAULT_SECRET } from '../src/authinfo.js';
import { FAULT_MODES, type FaultMode } from './faults.js';
import type { FakeBackendOptions } from './server.js';

/**
 * The standalone fake backend's environment:
 *   WXPAY_API_KEY          the merchant API key (same value as the server's)            required
 *   WXPAY_SIM_HOST         listen address                                              127.0.0.1
 *   WXPAY_SIM_PORT         listen port (0 = any free one)                              18091
 *   WXPAYFACE_SIM_SECRET   secret shared with the SDK simulator                        posface-sim-dev-secret
 *   WXPAY_SIM_EXPIRES_IN   seconds of validity of minted authinfos                     7200
 *   WXPAY_SIM_LATENCY_MS   delay before every answer                                   0
 *   WXPAY_SIM_FAULT        none | http5xx | timeout | malformed | badSign | systemError none
 *   WXPAY_SIM_FAULT_STATUS the status of http5xx                                       503
 * Returns every problem at once, one line per bad value.
 */
export function backendOptionsFromEnv(env: NodeJS.ProcessEnv): { options: FakeBackendOptions } | { problems: string[] } {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!/^[0-9]+$/.test(raw) || n < min || n > max) {
      problems.push(`${name}: must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const apiKey = env.WXPAY_API_KEY ?? '';
  if (apiKey === '') problems.push('WXPAY_API_KEY: required (the merchant API key the server signs with)');
  const mode = env.WXPAY_SIM_FAULT || 'none';
  if (!FAULT_MODES.includes(mode as FaultMode)) problems.push(`WXPAY_SIM_FAULT: must be one of ${FAULT_MODES.join(', ')}, got "${mode}"`);
  const options: FakeBackendOptions = {
    apiKey,
    host: env.WXPAY_SIM_HOST || '127.0.0.1',
    port: int('WXPAY_SIM_PORT', 18091, 0, 65535),
    secret: env.WXPAYFACE_SIM_SECRET || SIM_DEFAULT_SECRET,
    expiresIn: int('WXPAY_SIM_EXPIRES_IN', 7200, 1, 86_400),
    faults: {
      latencyMs: int('WXPAY_SIM_LATENCY_MS', 0, 0, 600_000),
      mode: mode as FaultMode,
      status: int('WXPAY_SIM_FAULT_STATUS', 503, 500, 599),
    },
    log: true,
  };
  return problems.length > 0 ? { problems } : { options };
}
