import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [vue()],
  resolve: {
    alias: {
      '@posface/protocol/admin-api': fileURLToPath(new URL('../protocol/src/admin-api.ts', import.meta.url)),
      '@posface/protocol/api': fileURLToPath(new URL('../protocol/src/api.ts', import.meta.url)),
      '@posface/protocol': fileURLToPath(new URL('../protocol/src/index.ts', import.meta.url)),
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  test: { name: 'admin', environment: 'happy-dom', include: ['src/**/*.test.ts'], passWithNoTests: true },
});
