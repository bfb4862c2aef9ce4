import type { Server } from 'node:http';
import type { HttpLimits } from '../config.js';

export type RefusalReason = 'max_connections' | 'per_ip';

/**
 * Caps the connections the server holds, in total (Node refuses them at accept: `server.maxConnections`)
 * and per remote address, so that neither many slow clients nor one host can use up the file descriptors
 * that every till's requests, the database and Redis need. The timeouts (app.ts) free the slots again.
 */
export function limitConnections(server: Server, limits: HttpLimits, onRefused: (reason: RefusalReason) => void): void {
  server.maxConnections = limits.maxConnections;
  server.on('drop', () => onRefused('max_connections'));
  if (limits.maxConnectionsPerIp === 0) return;
  const perIp = new Map<string, number>();
  server.on('connection', (socket) => {
    const ip = socket.remoteAddress ?? '';
    const held = perIp.get(ip) ?? 0;
    if (held >= limits.maxConnectionsPerIp) {
      onRefused('per_ip');
      socket.destroy();
      return;
    }
    perIp.set(ip, held + 1);
    socket.once('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left === 0) perIp.delete(ip);
      else perIp.set(ip, left);
    });
  });
}

/** How often Node looks for requests past their timeouts (its default, 30 s, lets them overrun by as much). */
export function connectionsCheckingInterval(limits: HttpLimits): number {
  return Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)));
}
