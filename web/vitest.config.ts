import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [vue()],
  resolve: {
    alias: {
      '@posface/protocol/api': fileURLToPath(new URL('../protocol/src/api.ts', import.meta.url)),
      '@posface/protocol': fileURLToPath(new URL('../protocol/src/index.ts', import.meta.url)),
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  define: { __APP_VERSION__: JSON.stringify('test') },
  test: { name: 'web', environment: 'happy-dom', include: ['src/**/*.test.ts'] },
});
