import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_ROOT } from './paths.js';

/** The host's version, from its package.json (reported by `hello` and `--version`). */
export const HOST_VERSION: string = (JSON.parse(readFileSync(join(HOST_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
