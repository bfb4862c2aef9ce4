import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The admin app's URL path (hash routes: the server only ever serves its index.html and assets). */
export const ADMIN_PATH = '/admin/';

/**
 * Serves the built admin app (admin/dist) at /admin/ like the POS: hashed assets cached a year,
 * index.html revalidated, brotli/gzip copies from the build; /admin redirects to /admin/.
 */
export async function registerAdminStatic(app: FastifyInstance, adminDist: string | null): Promise<boolean> {
  if (adminDist === null || !existsSync(join(adminDist, 'index.html'))) return false;
  const assets = `${join(adminDist, 'assets')}${sep}`;
  await app.register(fastifyStatic, {
    root: adminDist,
    prefix: ADMIN_PATH,
    decorateReply: false,
    redirect: true,
    index: ['index.html'],
    preCompressed: true,
    allowedPath: (pathName) => !pathName.endsWith('.map'),
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return true;
}
