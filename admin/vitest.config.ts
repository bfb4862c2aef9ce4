import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [vue()],
  // The workspaces' sources (their package.json exports' "source" entries), in the DOM and the node tests alike.
  resolve: { conditions: ['source', ...defaultClientConditions], alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: { name: 'admin', environment: 'happy-dom', include: ['src/**/*.test.ts'], passWithNoTests: true },
});
