import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_ROOT } from './paths.js';
import { RELEASE } from './release.js';

/** The host's version (reported by `hello` and `--version`): baked into the exe, else from package.json. */
export const HOST_VERSION: string =
  RELEASE?.version ?? (JSON.parse(readFileSync(join(HOST_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
