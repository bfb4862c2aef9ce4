export { startFakeWxpayBackend, buildFakeBackend, AUTHINFO_PATH, ADMIN_FAULTS_PATH, ADMIN_STATS_PATH } from './server.js';
export type { FakeBackend, FakeBackendOptions, BackendStats } from './server.js';
export { FAULT_MODES, FaultSwitch, checkFaults, type FaultMode, type Faults } from './faults.js';
export { wxSign, signString, SIGN_TYPES, type SignType } from './sign.js';
export { buildXml, parseXml } from './xml.js';
export { checkAuthinfoRequest, NOW_WINDOW_S } from './check-request.js';
