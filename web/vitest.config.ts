import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [vue()],
  // The workspaces' sources (their package.json exports' "source" entries), in the DOM and the node tests alike.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  define: { __APP_VERSION__: JSON.stringify('test') },
  test: { name: 'web', environment: 'happy-dom', include: ['src/**/*.test.ts'] },
});
