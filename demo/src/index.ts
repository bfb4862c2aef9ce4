export { DEMO_DEVICE_ID, DEMO_HISTORY, DEMO_MEMBERS, DEMO_PRODUCTS, DEMO_STORE } from './data.js';
export { seed, type SeedResult } from './seed.js';
