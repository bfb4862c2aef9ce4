import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEVELOPMENT_KEY_FILE } from '../../extension/extension-id.mjs';
import { CHROMIUM_PATH, EXTENSION_DIR, HOST_ENTRY, REPO_ROOT, SIM_LIBRARY } from './paths.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs);
  }
  return newest;
}

/** Builds the unpacked extension when it is missing or older than its sources (esbuild: under a second). */
export function ensureExtensionBuilt(): void {
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  const sources = ['extension/src', 'extension/static', 'protocol/src'].map((d) => newestMtime(join(REPO_ROOT, d)));
  const templ = statSync(join(REPO_ROOT, 'extension', 'manifest.template.json')).mtimeMs;
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= Math.max(templ, ...sources)) return;
  // A development build: 127.0.0.1 and localhost are allowed, 127.0.0.2 (the tests' foreign origin) is not.
  execFileSync(process.execPath, [join(REPO_ROOT, 'extension', 'build.mjs')], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'development', POS_ORIGINS: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The compiled native host and simulator library must exist (`npm run build`); says what to run if not. */
export function requireHostAndSimulator(): void {
  // A browser test without a browser fails, naming the package, in and out of CI.
  if (process.env.CHROMIUM_PATH === undefined && !existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e needs ${CHROMIUM_PATH}: apt-get install chromium (or run .ci/run)`);
  }
  const missing = [
    [HOST_ENTRY, 'npm run build -w native-host'],
    [SIM_LIBRARY, 'npm run build -w wxpay-sim'],
  ].filter(([path]) => !existsSync(path!));
  if (missing.length > 0) {
    throw new Error(`e2e needs built parts: ${missing.map(([p, cmd]) => `${p} (run \`${cmd}\`)`).join('; ')}`);
  }
}

interface VariantOptions {
  posOrigins: string;
  production: boolean;
  /** The private key that signs it (and fixes its ID); default the development key. */
  signingKey?: string;
  /** POSFACE_EXTENSION_SERVER: the server whose /extension/pos-face.crx update.xml points at. */
  server?: string;
}

/**
 * Builds an extension variant (e.g. production with other POS_ORIGINS) into `outDir`, with its signed
 * .crx (and update.xml when `server` is given); returns outDir.
 */
export function buildExtensionVariant(outDir: string, options: VariantOptions): string {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('POSFACE_EXTENSION_')) delete env[name];
  execFileSync(process.execPath, [join(REPO_ROOT, 'extension', 'build.mjs')], {
    cwd: REPO_ROOT,
    env: {
      ...env,
      NODE_ENV: options.production ? 'production' : 'development',
      POS_ORIGINS: options.posOrigins,
      POSFACE_EXTENSION_OUT: outDir,
      // A production build refuses to sign with the development key unless it is named: tests name it.
      POSFACE_EXTENSION_SIGNING_KEY: options.signingKey ?? DEVELOPMENT_KEY_FILE,
      ...(options.server === undefined ? {} : { POSFACE_EXTENSION_SERVER: options.server }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return outDir;
}
