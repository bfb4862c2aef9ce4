import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { HttpClient } from './api/http.js';
import { PosApi } from './api/pos-api.js';
import { AuthinfoSession, FaceClient } from './face/index.js';
import { FaceReporter } from './face-report.js';
import { startHeartbeat } from './heartbeat.js';
import { makeI18n, savedLocale } from './i18n/index.js';
import { makeRouter } from './router.js';
import { setServices } from './services.js';
import { useFaceStore } from './stores/face.js';
import { useStatusStore } from './stores/status.js';
import { useTerminalStore } from './stores/terminal.js';
import './styles.css';

async function boot(): Promise<void> {
  const app = createApp(App);
  const pinia = createPinia();
  app.use(pinia);
  app.use(makeI18n(savedLocale()));

  const terminal = useTerminalStore();
  // A request refused mid-shift (terminal revoked, session expired) sends the POS back to pairing.
  const api = new PosApi(new HttpClient({ onUnauthorized: (error) => terminal.sessionEnded(error) }));
  const faceClient = new FaceClient();
  const status = useStatusStore();
  // Best effort: a report that cannot be sent waits (in memory) and is retried; problems go to diagnostics.
  const report = new FaceReporter((body) => api.terminalReport(body), { onProblem: (error) => status.record('report', error) });
  setServices({
    api,
    face: faceClient,
    report,
    createAuthinfoSession: (fetchAuthinfo, onChange) => new AuthinfoSession(faceClient, fetchAuthinfo, { onChange }),
  });

  const face = useFaceStore();
  faceClient.onHostStatus((news) => face.onHostStatus(news));
  await terminal.load();

  let stopHeartbeat: (() => void) | null = null;
  // Pairing (now or later) starts the face chain once: detect, init, prewarm the authinfo.
  watch(
    () => terminal.paired,
    (paired) => {
      stopHeartbeat?.();
      stopHeartbeat = null;
      report.setActive(paired);
      if (paired) {
        stopHeartbeat = startHeartbeat(api, status);
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
}

void boot();
