import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // Served by the merchant server at /admin/ (ADMIN_DIST); hashed assets under /admin/assets/.
  base: '/admin/',
  // Brotli and gzip copies beside each text asset; the server sends the one the browser accepts.
  plugins: [vue(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, logLevel: 'silent' })],
  // The workspaces' sources (their package.json exports' "source" entries); only types come from /admin-api
  // and /api, so TypeBox stays out of the bundle.
  resolve: { conditions: ['source', ...defaultClientConditions], alias: { '@': here('./src') } },
  define: {
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_OPTIONS_API__: false,
  },
  server: { proxy: { '/api': process.env.POSFACE_API ?? 'http://127.0.0.1:8080' } },
  build: {
    target: 'es2022',
    sourcemap: false,
    // Each screen is its own chunk (router.ts); Element Plus and ECharts go where the screens use them.
    chunkSizeWarningLimit: 600,
  },
});
