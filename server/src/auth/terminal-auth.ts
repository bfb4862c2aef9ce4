import { FaceError } from '@posface/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Terminal, TerminalStore } from '../terminals/terminal-store.js';
import { bearerToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    terminal: Terminal | null;
  }
}

/** Every route of the encapsulated scope needs an active terminal's bearer token (401 otherwise). */
export function requireTerminal(scope: FastifyInstance, terminals: TerminalStore): void {
  scope.decorateRequest('terminal', null);
  scope.addHook('onRequest', async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token === null) throw new FaceError('UNAUTHORIZED', 'missing bearer token: send "Authorization: Bearer <terminal token>"');
    const terminal = await terminals.findByToken(token);
    if (terminal === null) throw new FaceError('UNAUTHORIZED', 'unknown or revoked terminal token');
    request.terminal = terminal;
  });
}

export function terminalOf(request: FastifyRequest): Terminal {
  if (request.terminal === null) throw new FaceError('UNAUTHORIZED', 'no terminal on this request');
  return request.terminal;
}
