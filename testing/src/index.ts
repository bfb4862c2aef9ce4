export { ciRun, requireService, requireTool, toolPath, type Tool } from './tools.js';
