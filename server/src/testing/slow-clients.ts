import { connect, type Socket } from 'node:net';

/**
 * Slow clients for the timeout tests and server/bench/slow-clients.ts: each opens a connection (from
 * `localAddress`, so the server sees another host on loopback), sends `head` and then the body one byte
 * every `byteEveryMs`, until the server closes the connection or `stop()`.
 */
export interface SlowClient {
  /** The connection was accepted and the head sent. */
  connected: boolean;
  /** When it was (Date.now()), or null. */
  connectedAt: number | null;
  /** When the server ended the connection (Date.now()), or null while it is open. */
  closedAt: number | null;
  /** What the server answered, if anything. */
  received: string;
}

export interface SlowAttack {
  clients: SlowClient[];
  open(): number;
  /** The longest any closed connection lived (ms). */
  longestLifeMs(): number;
  stop(): void;
}

export function slowClients(options: {
  port: number;
  count: number;
  localAddress: string;
  head: string;
  bodyLength: number;
  byteEveryMs: number;
}): SlowAttack {
  const sockets: Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  const clients: SlowClient[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const client: SlowClient = { connected: false, connectedAt: null, closedAt: null, received: '' };
    clients.push(client);
    const socket = connect({ host: '127.0.0.1', port: options.port, localAddress: options.localAddress });
    sockets.push(socket);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (client.received += d));
    socket.on('error', () => undefined);
    socket.on('close', () => (client.closedAt ??= Date.now()));
    socket.on('connect', () => {
      client.connected = true;
      client.connectedAt = Date.now();
      socket.write(options.head);
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || socket.writableEnded || sent >= options.bodyLength) return;
        sent += 1;
        socket.write('x');
      }, options.byteEveryMs);
      timers.push(timer);
    });
  }
  return {
    clients,
    open: () => clients.filter((c) => c.connected && c.closedAt === null).length,
    longestLifeMs: () => Math.max(0, ...clients.map((c) => (c.closedAt ?? 0) - (c.connectedAt ?? c.closedAt ?? 0))),
    stop: () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
    },
  };
}

/** A POST head announcing a JSON body of `length` bytes. */
export function postHead(path: string, length: number, token?: string): string {
  const auth = token === undefined ? '' : `Authorization: Bearer ${token}\r\n`;
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
}
