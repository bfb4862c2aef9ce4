/** What the fake backend can be told to do wrong, per instance (tests) or by env/admin route (standalone). */

export const FAULT_MODES = ['none', 'http5xx', 'timeout', 'malformed', 'badSign', 'systemError'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface Faults {
  /** Added before every answer. */
  latencyMs: number;
  mode: FaultMode;
  /** The status of `http5xx`. */
  status: number;
  /** Apply `mode` to this many more requests, then behave again; null = until changed. */
  times: number | null;
}

export const NO_FAULTS: Faults = { latencyMs: 0, mode: 'none', status: 503, times: null };

/** Validates a partial fault setting (from JSON or env) and says exactly which value is wrong. */
export function checkFaults(input: unknown): Partial<Faults> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('faults: must be an object');
  const out: Partial<Faults> = {};
  for (const [k, v] of Object.entries(input)) {
    switch (k) {
      case 'latencyMs':
        if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 600_000) throw new Error('latencyMs: must be an integer from 0 to 600000');
        out.latencyMs = v as number;
        break;
      case 'mode':
        if (!FAULT_MODES.includes(v as FaultMode)) throw new Error(`mode: must be one of ${FAULT_MODES.join(', ')}`);
        out.mode = v as FaultMode;
        break;
      case 'status':
        if (!Number.isInteger(v) || (v as number) < 500 || (v as number) > 599) throw new Error('status: must be an integer from 500 to 599');
        out.status = v as number;
        break;
      case 'times':
        if (v !== null && (!Number.isInteger(v) || (v as number) < 1)) throw new Error('times: must be a positive integer or null');
        out.times = v as number | null;
        break;
      default:
        throw new Error(`${k}: is not a known fault setting`);
    }
  }
  return out;
}

export class FaultSwitch {
  private current: Faults = { ...NO_FAULTS };

  get(): Faults {
    return { ...this.current };
  }

  set(change: Partial<Faults>): Faults {
    this.current = { ...this.current, ...checkFaults(change) };
    return this.get();
  }

  reset(): void {
    this.current = { ...NO_FAULTS };
  }

  /** The fault for the request being answered now (counts down `times`). */
  take(): Faults {
    const now = this.get();
    if (now.mode !== 'none' && now.times !== null) {
      this.current.times = now.times - 1;
      if (this.current.times <= 0) this.current = { ...this.current, mode: 'none', times: null };
    }
    return now;
  }
}
