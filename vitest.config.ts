import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import the workspaces' sources (each package.json's exports name them under the "source" condition),
// so a unit test never needs a build first.
const sources = { ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } } };

const project = (name: string, extra: Record<string, unknown> = {}) => ({
  extends: false as const,
  ...sources,
  test: { name, include: [`${name}/src/**/*.test.ts`], ...extra },
});

export default defineConfig({
  test: {
    projects: [
      project('protocol'),
      project('wxpay-sim', { include: ['wxpay-sim/src/**/*.test.ts', 'wxpay-sim/backend/**/*.test.ts'] }),
      project('native-host', { testTimeout: 30_000, hookTimeout: 30_000 }),
      project('server', { testTimeout: 30_000, hookTimeout: 60_000 }),
      project('demo'),
      project('extension', { include: ['extension/src/**/*.test.ts', 'extension/scripts/**/*.test.ts'] }),
      'web/vitest.config.ts',
      'admin/vitest.config.ts',
      {
        extends: false,
        ...sources,
        test: {
          // The Windows release under wine: one prefix and one release build per run (global setup).
          name: 'windows',
          include: ['native-host/package/**/*.test.ts'],
          globalSetup: ['native-host/src/testing/windows-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // wine's programs share one prefix and the 2 cores.
          fileParallelism: false,
        },
      },
      {
        extends: false,
        ...sources,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
