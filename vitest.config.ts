import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// Tests import the workspaces' sources, so a unit test never needs a build first.
const alias = {
  '@posface/protocol/api': src('./protocol/src/api.ts'),
  '@posface/protocol/admin-api': src('./protocol/src/admin-api.ts'),
  '@posface/protocol': src('./protocol/src/index.ts'),
  '@posface/wxpay-sim/backend': src('./wxpay-sim/backend/index.ts'),
  '@posface/wxpay-sim': src('./wxpay-sim/src/index.ts'),
  '@posface/testing': src('./testing/src/index.ts'),
};

const project = (name: string, extra: Record<string, unknown> = {}) => ({
  extends: false as const,
  resolve: { alias },
  test: { name, include: [`${name}/src/**/*.test.ts`], ...extra },
});

export default defineConfig({
  test: {
    projects: [
      project('protocol'),
      project('wxpay-sim', { include: ['wxpay-sim/src/**/*.test.ts', 'wxpay-sim/backend/**/*.test.ts'] }),
      project('native-host', { testTimeout: 30_000, hookTimeout: 30_000 }),
      project('server', { testTimeout: 30_000, hookTimeout: 60_000 }),
      project('extension', { include: ['extension/src/**/*.test.ts', 'extension/scripts/**/*.test.ts'] }),
      'web/vitest.config.ts',
      'admin/vitest.config.ts',
      {
        extends: false,
        resolve: { alias },
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
        resolve: { alias },
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
