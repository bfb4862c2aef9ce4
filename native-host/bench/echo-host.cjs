#!/usr/bin/env node
// A bare native messaging host with the same framing as the real one and no SDK behind it: the
// baseline both benchmarks compare against (cold start in native-host/bench, round trip in e2e/bench).
// A CommonJS script, like the host's own build: the quickest way Node starts a script.
// Answers hello like a protocol-1 host and every call with SUCCESS (getWxpayfaceRawdata: a fixed rawdata).
// ECHO_HOST_FRAME_LOG=<file>: also appends every frame received, header and all, to that file (tests
// compare what Chrome wrote with what the extension expected to write).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS: require is how it loads.
const { appendFileSync } = require('node:fs');

const TIMEOUTS = { initWxpayface: 15000, getWxpayfaceRawdata: 10000, getWxpayfaceUserInfo: 60000, releaseWxpayface: 10000, stopWxpayface: 5000 };
const frameLog = process.env.ECHO_HOST_FRAME_LOG;
let buffer = Buffer.alloc(0);

function send(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length, 0);
  process.stdout.write(Buffer.concat([header, body]));
}

function answer(request) {
  if (request.method === 'hello') {
    return {
      protocol: 1,
      host: { name: 'echo-host', version: '0.0.0' },
      sdk: { loaded: true, path: null, arch: process.arch, error: null },
      timeouts: TIMEOUTS,
    };
  }
  const result = { return_code: 'SUCCESS', return_msg: 'SUCCESS' };
  if (request.params?.cmd === 'getWxpayfaceRawdata') result.rawdata = 'RUNITy1IT1NU';
  return result;
}

process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 4) {
    const size = buffer.readUInt32LE(0);
    if (buffer.length < 4 + size) break;
    if (frameLog) appendFileSync(frameLog, buffer.subarray(0, 4 + size));
    const request = JSON.parse(buffer.subarray(4, 4 + size).toString('utf8'));
    buffer = buffer.subarray(4 + size);
    send({ id: request.id, ok: true, result: answer(request) });
  }
});
process.stdin.on('end', () => process.exit(0));
