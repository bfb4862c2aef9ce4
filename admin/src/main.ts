import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { AdminApi, setApi } from './api/admin-client';
import { makeI18n, savedLocale } from './i18n';
import { makeRouter } from './router';
import { useSessionStore } from './stores/session';
// Element Plus's whole stylesheet (CSS, apart from the JS; its components are imported per screen).
import 'element-plus/dist/index.css';
import './styles.css';

async function boot(): Promise<void> {
  const app = createApp(App);
  app.use(createPinia());
  app.use(makeI18n(savedLocale()));
  const session = useSessionStore();
  // Any 401 (logged out elsewhere, expired, disabled) ends the session here too.
  setApi(new AdminApi((error) => session.ended(error)));
  await session.load();
  const router = makeRouter();
  watch(
    () => session.info,
    (info) => {
      if (info === null && router.currentRoute.value.name !== 'login') void router.replace({ name: 'login' });
    },
  );
  app.use(router);
  app.mount('#app');
}

void boot();
