import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticFile {
  type: string;
  body: string | Buffer;
  /** Extra response headers (e.g. the bench's cross-origin isolation, for a 5 µs performance.now()). */
  headers?: Record<string, string>;
}

export interface StaticServer {
  /** http://127.0.0.1:PORT — an allowed origin in development builds. */
  origin: string;
  /** http://127.0.0.2:PORT — loopback too, but not an allowed origin. */
  foreignOrigin: string;
  /** Adds or replaces a file at `path` (e.g. "/pos.html"). */
  set(path: string, file: StaticFile): void;
  close(): Promise<void>;
}

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** A tiny static HTTP server on loopback (ephemeral ports) for test pages. */
export async function startStaticServer(files: Record<string, StaticFile> = {}): Promise<StaticServer> {
  const table = new Map(Object.entries(files));
  const handler = (req: { url?: string }, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = table.get(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { ...file.headers, 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  };
  const main = createServer(handler);
  const foreign = createServer(handler);
  const port = await listen(main, '127.0.0.1');
  const foreignPort = await listen(foreign, '127.0.0.2');
  return {
    origin: `http://127.0.0.1:${port}`,
    foreignOrigin: `http://127.0.0.2:${foreignPort}`,
    set: (path, file) => void table.set(path, file),
    close: async () => {
      main.closeAllConnections();
      foreign.closeAllConnections();
      await Promise.all([main, foreign].map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}
