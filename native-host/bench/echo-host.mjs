#!/usr/bin/env node
// A bare Node native messaging host with the same framing as the real one: it answers every frame with
// {id, ok:true, result:{echo:true}}. The baseline for the real host's cold start (Node's own start-up).
let buffered = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = buffered.readUInt32LE(0);
    if (buffered.length < 4 + length) break;
    const request = JSON.parse(buffered.subarray(4, 4 + length).toString('utf8'));
    buffered = buffered.subarray(4 + length);
    const body = Buffer.from(JSON.stringify({ id: request.id, ok: true, result: { echo: true } }), 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length);
    process.stdout.write(Buffer.concat([header, body]));
  }
});
process.stdin.on('end', () => process.exit(0));
