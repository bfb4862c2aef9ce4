import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from './paths.js';
import type { StaticFile } from './static-server.js';

/**
 * The face test page: the real FaceClient (web/src/face) bundled into the page as `window.PosFace`,
 * and one client created at load (`window.face`) so it sees the content script's `ready`.
 */
export const FACE_PAGE_PATH = '/face.html';

let bundle: Promise<string> | null = null;

function faceClientBundle(): Promise<string> {
  bundle ??= esbuild
    .build({
      entryPoints: [join(REPO_ROOT, 'web/src/face/index.ts')],
      bundle: true,
      format: 'iife',
      globalName: 'PosFace',
      target: 'chrome120',
      write: false,
      alias: { '@posface/protocol': join(REPO_ROOT, 'protocol/src/index.ts') },
      logLevel: 'warning',
    })
    .then((result) => result.outputFiles[0]!.text);
  return bundle;
}

export async function faceTestFiles(): Promise<Record<string, StaticFile>> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>face test</title>
<script src="/face-client.js"></script>
<script>window.face = new PosFace.FaceClient();</script></head>
<body><h1>POS Face test page</h1></body></html>`;
  return {
    [FACE_PAGE_PATH]: { type: 'text/html; charset=utf-8', body: html },
    '/face-client.js': { type: 'text/javascript; charset=utf-8', body: await faceClientBundle() },
  };
}
