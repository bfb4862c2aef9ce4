/** What other workspaces may use of the server (the demo's seed, the e2e tests): its package exports. */
export { ConfigError, loadConfig, loadDatabaseConfig } from './config.js';
export { openStorage, type Storage } from './db/storage.js';
export { startServer, type RunningServer } from './main.js';
