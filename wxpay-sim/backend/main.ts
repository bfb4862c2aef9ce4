import { backendOptionsFromEnv } from './env.js';
import { ADMIN_FAULTS_PATH, startFakeWxpayBackend } from './server.js';

// Standalone fake WeChat backend (`npm run wxpay-sim:backend`); the environment is described in env.ts.
const parsed = backendOptionsFromEnv(process.env);
if ('problems' in parsed) {
  process.stderr.write(`wxpay-sim backend: bad configuration:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(2);
}
const backend = await startFakeWxpayBackend(parsed.options);
// The one stdout line says where it listens, so a parent process can read the URL.
process.stdout.write(`${JSON.stringify({ url: backend.url, port: backend.port })}\n`);
process.stderr.write(`wxpay-sim backend: ${backend.url} (faults: PUT ${backend.baseUrl}${ADMIN_FAULTS_PATH})\n`);

let closing = false;
const stop = (signal: string) => {
  if (closing) return;
  closing = true;
  process.stderr.write(`wxpay-sim backend: ${signal}, closing\n`);
  backend.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`wxpay-sim backend: close failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
