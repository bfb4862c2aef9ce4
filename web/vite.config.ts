import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { readFileSync } from 'node:fs';
import { defaultClientConditions, defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { version: string };

export default defineConfig({
  // Brotli and gzip copies beside each text asset, built once here; the server sends the one the browser
  // accepts (@fastify/static preCompressed) instead of compressing on every request.
  plugins: [vue(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, logLevel: 'silent' })],
  // The workspaces' sources (their package.json exports' "source" entries): the POS builds without a protocol build.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    // vue-i18n feature flags: no legacy API, no devtools in production (smaller bundle).
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_OPTIONS_API__: false,
  },
  server: { proxy: { '/api': process.env.POSFACE_API ?? 'http://127.0.0.1:8080' } },
  // No source maps in the build: the production POS must not publish its sources (use `vite` to debug).
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 200 },
});
