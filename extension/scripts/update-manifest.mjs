/**
 * The update manifest Chrome fetches from a policy's update URL (Google's "gupdate" format, protocol
 * 2.0): the extension's ID, its current version and where the .crx is.
 * @param {{ appId: string; version: string; codebase: string }} app
 */
export function makeUpdateManifest({ appId, version, codebase }) {
  if (!/^[a-p]{32}$/.test(appId)) throw new Error(`not an extension ID: ${JSON.stringify(appId)}`);
  if (!/^\d+(\.\d+){0,3}$/.test(version)) throw new Error(`not an extension version: ${JSON.stringify(version)}`);
  const url = new URL(codebase);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`codebase must be http(s), got ${codebase}`);
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
    `  <app appid='${appId}'>`,
    `    <updatecheck codebase='${escapeAttribute(url.href)}' version='${version}' />`,
    '  </app>',
    '</gupdate>',
    '',
  ].join('\n');
}

/**
 * Where the .crx is for a server base URL (`POSFACE_EXTENSION_SERVER`, e.g. https://pos.example.com or
 * https://host/pos behind a proxy) and the server's path for it.
 * @param {string} server
 * @param {string} crxPath
 */
export function codebaseFor(server, crxPath) {
  let url;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`POSFACE_EXTENSION_SERVER must be the merchant server's URL (https://pos.example.com), got ${JSON.stringify(server)}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username) {
    throw new Error(`POSFACE_EXTENSION_SERVER must be an http(s) URL without query, fragment or credentials, got ${JSON.stringify(server)}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}${crxPath}`;
}

function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
