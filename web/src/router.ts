import { createRouter, createWebHashHistory, type Router } from 'vue-router';
import { useTerminalStore } from './stores/terminal.js';
import CheckoutView from './views/CheckoutView.vue';
import PairView from './views/PairView.vue';

/**
 * Hash history: the POS is one static page the server serves for any path. No credential ever travels
 * in a URL (the pairing code is typed; the session is an HttpOnly cookie). Diagnostics, Settings and the
 * refund screen and the outbox load lazily.
 */
export function makeRouter(): Router {
  const router = createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', name: 'checkout', component: CheckoutView },
      { path: '/pair', name: 'pair', component: PairView },
      { path: '/diagnostics', name: 'diagnostics', component: () => import('./views/DiagnosticsView.vue') },
      { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
      { path: '/outbox', name: 'outbox', component: () => import('./views/OutboxView.vue') },
      { path: '/refund', name: 'refund', component: () => import('./views/RefundView.vue') },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });
  router.beforeEach((to) => {
    const terminal = useTerminalStore();
    if (to.name !== 'pair' && to.name !== 'diagnostics' && !terminal.paired) return { name: 'pair' };
    return true;
  });
  return router;
}
