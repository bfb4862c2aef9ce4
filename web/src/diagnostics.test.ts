import { describe, expect, it } from 'vitest';
import { FaceError } from '@posface/protocol';
import { createPinia, setActivePinia } from 'pinia';
import { buildDiagnostics } from './diagnostics.js';
import { PosApi } from './api/pos-api.js';
import { HttpClient } from './api/http.js';
import { useStatusStore } from './stores/status.js';
import { hello, TERMINAL } from './testing/fakes.js';

describe('diagnostics', () => {
  it('carries versions, states and error codes but no openid', async () => {
    setActivePinia(createPinia());
    const status = useStatusStore();
    status.setHello(hello());
    // A member lookup that failed: the error must name the openid by hash only.
    const api = new PosApi(
      new HttpClient({
        fetch: async () => new Response('boom', { status: 500 }),
        onReachable: () => status.markReachable(),
        onUnreachable: (e) => status.markUnreachable(e),
      }),
    );
    await api.memberByOpenid('oSIM_0001_wangfang').catch((e: unknown) => status.record('server', FaceError.wrap(e)));
    const text = buildDiagnostics({
      appVersion: '0.1.0',
      userAgent: 'UA',
      origin: 'http://127.0.0.1',
      terminal: TERMINAL,
      hello: status.hello,
      health: { extension: status.extension, host: status.host, sdk: status.sdk, server: status.server.health },
      sales: { waiting: 3, held: 1 },
      authinfo: { status: 'ready', expiresAt: Date.UTC(2026, 0, 1), error: null },
      facePhase: 'ready',
      errors: status.errors,
    });
    const report = JSON.parse(text) as Record<string, unknown>;
    // A 500 is an answer: the server is reachable, and the error is in the list.
    expect(report.health).toEqual({ extension: 'ok', host: 'ok', sdk: 'ok', server: 'ok' });
    expect(report.sales_not_synced).toEqual({ waiting: 3, held: 1 });
    expect(text).toContain('INTERNAL_ERROR');
    expect(text).not.toContain('oSIM_0001');
    expect(text).toContain('2026-01-01T00:00:00.000Z');
  });
});
