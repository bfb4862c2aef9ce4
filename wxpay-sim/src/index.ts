export * from './authinfo.js';
export * from './faces.js';
export * from './paths.js';
