import type { Permission } from '@posface/protocol';
import { createRouter, createWebHashHistory, type Router } from 'vue-router';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** What the screen needs (protocol's PERMISSIONS); the menu hides what the role lacks. */
    permission?: Permission;
  }
}

/** The screens in menu order, each its own chunk (the initial JS is the shell and the login only). */
export const SCREENS = [
  { path: '/products', name: 'products', permission: 'products.read', component: () => import('./views/ProductsView.vue') },
  { path: '/members', name: 'members', permission: 'members.read', component: () => import('./views/MembersView.vue') },
  { path: '/terminals', name: 'terminals', permission: 'terminals.manage', component: () => import('./views/TerminalsView.vue') },
  { path: '/loyalty', name: 'loyalty', permission: 'loyalty.manage', component: () => import('./views/LoyaltyView.vue') },
  { path: '/reports', name: 'reports', permission: 'reports.read', component: () => import('./views/ReportsView.vue') },
  { path: '/staff', name: 'staff', permission: 'staff.manage', component: () => import('./views/StaffView.vue') },
  { path: '/audit', name: 'audit', permission: 'audit.read', component: () => import('./views/AuditView.vue') },
  { path: '/api-keys', name: 'apiKeys', permission: 'api_keys.manage', component: () => import('./views/ApiKeysView.vue') },
] as const;

function firstScreen(): { name: string } {
  const session = useSessionStore();
  const first = SCREENS.find((s) => session.can(s.permission));
  return { name: session.info === null || first === undefined ? 'login' : first.name };
}

/** Hash history: the server serves one index.html at /admin/; no credential is ever in a URL. */
export function makeRouter(): Router {
  const router = createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
      ...SCREENS.map(({ path, name, permission, component }) => ({ path, name, component, meta: { permission } })),
      { path: '/members/:id', name: 'member', component: () => import('./views/MemberView.vue'), meta: { permission: 'members.read' as const } },
      // Home is the first screen the role may see (the login screen when logged out).
      { path: '/', name: 'home', redirect: () => firstScreen() },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  });
  router.beforeEach((to) => {
    const session = useSessionStore();
    if (to.name === 'login') return session.info === null ? true : firstScreen();
    if (session.info === null) return { name: 'login' };
    if (to.meta.permission !== undefined && !session.can(to.meta.permission)) return firstScreen();
    return true;
  });
  return router;
}
