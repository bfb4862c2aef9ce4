import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXTENSION_CRX_PATH, EXTENSION_UPDATE_FILE, EXTENSION_UPDATE_PATH, extensionCrxFile, FaceError } from '@posface/protocol';
import { ErrorBody } from '@posface/protocol/api';
import { XMLParser } from 'fast-xml-parser';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Api, RouteDeps } from './types.js';

/**
 * Self-hosted distribution of the Chrome extension. IT's policy (ExtensionInstallForcelist
 * "<id>;https://<server>/extension/update.xml") makes Chrome fetch the update manifest, then the .crx
 * it names. No token: Chrome has none. The files are read from EXTENSION_DIST at each request, so IT can
 * drop in a new build without a restart; the .crx served is the one update.xml advertises, so the two
 * always agree. Their URLs stay the same from one version to the next, so both are revalidated on every
 * fetch (ETag; a 304 costs a few bytes).
 */

const BinaryBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });
const routeSchema = (description: string) => ({
  description,
  // Chrome adds its own parameters (os, arch, prodversion, x=id…): accepted and ignored.
  querystring: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  response: { 200: BinaryBody, 304: Type.Null(), 404: ErrorBody },
});

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, processEntities: false });

/** The version the update manifest advertises (our build writes one app with one updatecheck). */
export function advertisedVersion(manifest: string): string | null {
  const parsed = xml.parse(manifest) as { gupdate?: { app?: { updatecheck?: { version?: unknown } } } };
  const version = parsed.gupdate?.app?.updatecheck?.version;
  return typeof version === 'string' && /^\d+(\.\d+){0,3}$/.test(version) ? version : null;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

const NOT_PUBLISHED = 'The POS Face extension is not published on this server';

export function extensionRoutes(app: Api, deps: RouteDeps): void {
  const dir = deps.config.extensionDist;
  if (dir === null) return;
  const advice = `build it with POSFACE_EXTENSION_SIGNING_KEY and POSFACE_EXTENSION_SERVER and copy ${EXTENSION_UPDATE_FILE} and pos-face-<version>.crx into EXTENSION_DIST (${dir}); see extension/README.md`;

  /** The file's bytes, or NOT_FOUND (the details, with the server's folder, go to the log only). */
  async function read(request: FastifyRequest, name: string): Promise<Buffer> {
    try {
      return await readFile(join(dir as string, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      request.log.warn(`extension distribution: ${name} is missing: ${advice}`);
      throw new FaceError('NOT_FOUND', NOT_PUBLISHED);
    }
  }

  function send(request: FastifyRequest, reply: FastifyReply, body: Buffer, type: string): FastifyReply {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    reply.header('cache-control', 'no-cache').header('etag', etag);
    if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type(type).send(body);
  }

  app.get(EXTENSION_UPDATE_PATH, { schema: routeSchema('The update manifest (gupdate XML) for Chrome’s extension policy') }, async (request, reply) =>
    send(request, reply, await read(request, EXTENSION_UPDATE_FILE), 'application/xml'),
  );

  app.get(EXTENSION_CRX_PATH, { schema: routeSchema('The signed extension package (CRX3) that update.xml advertises') }, async (request, reply) => {
    const version = advertisedVersion((await read(request, EXTENSION_UPDATE_FILE)).toString('utf8'));
    if (version === null) {
      request.log.warn(`extension distribution: ${EXTENSION_UPDATE_FILE} advertises no version: ${advice}`);
      throw new FaceError('NOT_FOUND', NOT_PUBLISHED);
    }
    return send(request, reply, await read(request, extensionCrxFile(version)), 'application/x-chrome-extension');
  });
}
