import Fastify from 'fastify';

// The baseline: a bare Fastify route in its own process, answering a small JSON object.
const app = Fastify({ logger: false });
app.post('/bare', async () => ({ authinfo: 'x'.repeat(300), expires_in: 7200, expires_at: 1 }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
process.on('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
