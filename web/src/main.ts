import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import { FaceError } from '@posface/protocol';
import App from './App.vue';
import { HttpClient } from './api/http.js';
import { PosApi } from './api/pos-api.js';
import { AuthinfoSession, FaceClient } from './face/index.js';
import { FaceReporter } from './face-report.js';
import { startHeartbeat } from './heartbeat.js';
import { makeI18n, savedLocale } from './i18n/index.js';
import { keepAuthinfo } from './offline/authinfo-keeper.js';
import { openOfflineData } from './offline/index.js';
import { productLookups } from './offline/product-lookups.js';
import { startOfflineUpkeep } from './offline/upkeep.js';
import { makeRouter } from './router.js';
import { setServices } from './services.js';
import { useCartStore } from './stores/cart.js';
import { useCheckoutStore } from './stores/checkout.js';
import { useFaceStore } from './stores/face.js';
import { useMemberStore } from './stores/member.js';
import { useOutboxStore } from './stores/outbox.js';
import { useStatusStore } from './stores/status.js';
import { useTerminalStore } from './stores/terminal.js';
import './styles.css';

async function boot(): Promise<void> {
  const app = createApp(App);
  const pinia = createPinia();
  app.use(pinia);
  app.use(makeI18n(savedLocale()));

  const terminal = useTerminalStore();
  const status = useStatusStore();
  // A request refused mid-shift (terminal revoked, session expired) sends the POS back to pairing; every
  // request tells the status bar whether the server could be reached.
  const api = new PosApi(
    new HttpClient({
      onUnauthorized: (error) => terminal.sessionEnded(error),
      onReachable: () => status.markReachable(),
      onUnreachable: (error) => status.markUnreachable(error),
    }),
  );
  const faceClient = new FaceClient();
  const { db, ...offline } = openOfflineData();
  // Best effort: a report that cannot be sent waits (in memory) and is retried; problems go to diagnostics.
  const report = new FaceReporter((body) => api.terminalReport(body), { onProblem: (error) => status.record('report', error) });
  setServices({
    api,
    face: faceClient,
    report,
    createAuthinfoSession: (fetchAuthinfo, onChange) =>
      new AuthinfoSession(faceClient, keepAuthinfo(fetchAuthinfo, db, () => status.offline), { onChange }),
    offline,
    products: productLookups(api, offline.catalogue, () => status.offline),
  });

  const face = useFaceStore();
  faceClient.onHostStatus((news) => face.onHostStatus(news));
  const outbox = useOutboxStore();
  await terminal.load();

  let stopBackground: (() => void) | null = null;
  // Pairing (now or later) starts the face chain once (detect, init, prewarm the authinfo), the heartbeat,
  // and the offline upkeep (outbox sync, catalogue copy).
  watch(
    () => terminal.paired,
    (paired) => {
      stopBackground?.();
      stopBackground = null;
      report.setActive(paired);
      if (paired) {
        const stops = [
          startHeartbeat({ api, status, checkSession: () => terminal.refresh() }),
          startOfflineUpkeep({ api, offline, status, outbox }),
        ];
        stopBackground = () => stops.forEach((stop) => stop());
        void face.prepare();
      } else {
        face.stopSession();
      }
    },
    { immediate: true },
  );

  const router = makeRouter();
  // Unpaired while on another screen (revoked, expired, unpaired): the pairing screen says why.
  watch(
    () => terminal.state,
    (state) => {
      const route = router.currentRoute.value.name;
      if (state === 'unpaired' && route !== 'pair' && route !== 'diagnostics') void router.replace('/pair');
    },
  );
  app.use(router);
  app.mount('#app');
  if (import.meta.env.PROD && 'serviceWorker' in navigator) void startServiceWorker(status);
}

/** The service worker, and a new version of the POS applied only while the till is idle (nobody's sale on screen). */
async function startServiceWorker(status: ReturnType<typeof useStatusStore>): Promise<void> {
  const cart = useCartStore();
  const checkout = useCheckoutStore();
  const member = useMemberStore();
  const face = useFaceStore();
  const failed = (e: unknown) => status.record('service-worker', FaceError.wrap(e, 'INTERNAL_ERROR'));
  const idle = () => cart.isEmpty && !cart.submitting && !checkout.tendering && !checkout.summaryShown && !member.current && !member.pendingCustomer && !face.busy;
  watch([() => status.update, idle], ([apply, isIdle]) => {
    if (apply && isIdle) void apply().catch(failed);
  });
  try {
    const { registerServiceWorker } = await import('./offline/service-worker.js');
    registerServiceWorker({ onUpdate: (apply) => (status.update = apply), onError: failed });
  } catch (e) {
    failed(e);
  }
}

void boot();
