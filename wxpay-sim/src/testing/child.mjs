// Test-only child process for the scripted `crash` and `hang` (they take the whole process with them).
// Usage: node child.mjs <library path>; the environment carries WXPAYFACE_SIM_* and SIM_AUTHINFO.
// Prints one line per event on stdout: "calling", "stop <json>", "returned <json>".
import koffi from 'koffi';

koffi.config({ ...koffi.config(), async_stack_size: 8 * 1024 * 1024 });
const lib = koffi.load(process.argv[2]);
const callFaceService = lib.func(
  'int wxpayCallFaceService(const uint8_t *reqBuf, unsigned int reqSize, _Out_ void **pRespBuf, _Out_ unsigned int *pRespSize)',
);
const releaseResponse = lib.func('void wxpayReleaseResponse(_Inout_ void **pRespBuf)');

const request = (cmd, fields = {}) =>
  Buffer.from(JSON.stringify({ cmd, version: '1', now: Math.floor(Date.now() / 1000), ...fields }), 'utf8');

function answer(code, out, size) {
  if (code !== 0 || out[0] === null) return `code ${code}`;
  try {
    return koffi.decode.string(out[0], size[0]);
  } finally {
    releaseResponse([out[0]]);
  }
}

function callSync(cmd, fields) {
  const req = request(cmd, fields);
  const out = [null];
  const size = [0];
  return answer(callFaceService(req, req.length, out, size), out, size);
}

callSync('initWxpayface');
const req = request('getWxpayfaceUserInfo', {
  appid: process.env.SIM_APPID,
  mch_id: process.env.SIM_MCH_ID,
  store_id: process.env.SIM_STORE_ID,
  face_authtype: 'FACEID-ONCE',
  authinfo: process.env.SIM_AUTHINFO,
});
const out = [null];
const size = [0];
console.log('calling');
callFaceService.async(req, req.length, out, size, (error, code) => {
  console.log(error ? `error ${String(error)}` : `returned ${answer(code, out, size)}`);
  process.exit(0);
});
// The face step runs on a worker thread; stop it from this one, as the host would.
setTimeout(() => console.log(`stop ${callSync('stopWxpayface')}`), 300);
// Keep the event loop alive for as long as the step runs: only its callback ends this process.
setInterval(() => {}, 60_000);
