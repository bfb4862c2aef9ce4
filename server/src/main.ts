import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from './app.js';
import { ConfigError, loadConfig, type ServerConfig } from './config.js';
import { startMetricsServer, type MetricsServer } from './metrics/metrics-server.js';

export interface RunningServer {
  app: FastifyInstance;
  /** http://host:port */
  url: string;
  port: number;
  /** http://host:port of GET /metrics (METRICS_PORT), or null. */
  metricsUrl: string | null;
  close(): Promise<void>;
}

/** Builds and listens (port 0 = any free port); for `npm run serve`, the demo and tests. */
export async function startServer(config: ServerConfig, deps: AppDeps = {}): Promise<RunningServer> {
  const app = await buildApp(config, deps);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server: no TCP address');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let metricsServer: MetricsServer | null = null;
  if (config.metrics !== null) {
    const { metrics } = app;
    metricsServer = await startMetricsServer(config.metrics, metrics, async () => {
      const checks = await app.readiness();
      for (const [dependency, result] of Object.entries(checks)) metrics.up.set({ dependency }, result === 'ok' ? 1 : 0);
    });
  }
  return {
    app,
    url: `http://${host}:${address.port}`,
    port: address.port,
    metricsUrl: metricsServer?.url ?? null,
    close: async () => {
      await metricsServer?.close();
      await app.close();
    },
  };
}

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`posface server: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = await startServer(config);
  server.app.log.info(
    {
      database: config.database.kind,
      cache: config.redisUrl === null ? 'memory' : 'redis',
      upstream: new URL(config.wxpay.authinfoUrl).origin,
      signType: config.wxpay.signType,
      pos: config.webDist,
      extension: config.extensionDist,
      metrics: server.metricsUrl,
    },
    `posface server ready on ${server.url}`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info(`${signal}: finishing requests and closing`);
    // A hard deadline, so a stuck connection cannot keep the process alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`posface server: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
