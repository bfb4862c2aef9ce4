import { createServer } from 'node:http';
import type { Metrics } from './metrics.js';

export interface MetricsServer {
  /** http://host:port (GET /metrics) */
  url: string;
  close(): Promise<void>;
}

/**
 * GET /metrics on its own listener (METRICS_PORT, on loopback unless METRICS_HOST says otherwise), never on
 * the public port: the figures describe the chain's traffic and need no token because the port is private.
 */
export async function startMetricsServer(
  listen: { host: string; port: number },
  metrics: Metrics,
  beforeScrape: () => Promise<void>,
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: this port serves GET /metrics only\n');
      return;
    }
    beforeScrape()
      .then(() => metrics.registry.metrics())
      .then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${String(error)}\n`),
      );
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('metrics: no TCP address');
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
