import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_KEY_FILE, extensionIdFromKey } from '../extension-id.mjs';
import { makeCrx3 } from './crx3.mjs';
import { makeUpdateManifest } from './update-manifest.mjs';
import { makeZip } from './zip.mjs';

// The CRX3 writer, checked by a reader written here from the format's definition (not from crx3.mjs):
// the header is parsed field by field, the signature verified with the public key the header carries,
// and the crx_id compared with the key's hash. e2e/extension-policy.test.ts shows Chromium installs one.

const dir = mkdtempSync(join(tmpdir(), 'posface-crx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BUILD = fileURLToPath(new URL('../build.mjs', import.meta.url));

function newKeyFile(name: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const path = join(dir, name);
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return path;
}

/** Protobuf fields of `buf`: field number → list of length-delimited values (the only wire type CRX3 uses). */
function fields(buf: Buffer): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>();
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = buf[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < buf.length) {
    const key = varint();
    expect(key % 8, 'wire type').toBe(2);
    const length = varint();
    const value = buf.subarray(at, at + length);
    at += length;
    out.set(Math.floor(key / 8), [...(out.get(Math.floor(key / 8)) ?? []), value]);
  }
  expect(at).toBe(buf.length);
  return out;
}

interface ReadCrx {
  publicKey: Buffer;
  signature: Buffer;
  crxId: Buffer;
  zip: Buffer;
  signatureValid: boolean;
}

function readCrx(crx: Buffer): ReadCrx {
  expect(crx.subarray(0, 4).toString('latin1')).toBe('Cr24');
  expect(crx.readUInt32LE(4)).toBe(3);
  const headerSize = crx.readUInt32LE(8);
  const header = fields(crx.subarray(12, 12 + headerSize));
  const zip = crx.subarray(12 + headerSize);
  const proofs = header.get(2) ?? [];
  expect(proofs).toHaveLength(1);
  expect(header.get(3)).toBeUndefined(); // no ECDSA proof
  const proof = fields(proofs[0] as Buffer);
  const publicKey = proof.get(1)?.[0] as Buffer;
  const signature = proof.get(2)?.[0] as Buffer;
  const signedHeaderData = header.get(10000)?.[0] as Buffer;
  const crxId = fields(signedHeaderData).get(1)?.[0] as Buffer;
  const length = Buffer.alloc(4);
  length.writeUInt32LE(signedHeaderData.length);
  const signed = Buffer.concat([Buffer.from('CRX3 SignedData\x00', 'latin1'), length, signedHeaderData, zip]);
  const key = createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
  return { publicKey, signature, crxId, zip, signatureValid: verify('sha256', signed, key, signature) };
}

const zip = makeZip([
  { name: 'manifest.json', data: Buffer.from('{"manifest_version":3,"name":"t","version":"1.2.3"}') },
  { name: 'background.js', data: Buffer.from('console.log("刷脸")') },
]);

describe('CRX3', () => {
  it('carries the zip, one RSA proof whose signature verifies with its public key, and crx_id = sha256(key)[0:16]', () => {
    const keyFile = newKeyFile('a.pem');
    const crx = readCrx(makeCrx3(zip, readFileSync(keyFile, 'utf8')));
    expect(crx.zip.equals(zip)).toBe(true);
    expect(crx.signatureValid).toBe(true);
    expect(crx.crxId.equals(createHash('sha256').update(crx.publicKey).digest().subarray(0, 16))).toBe(true);
    const expectedKey = createPublicKey(readFileSync(keyFile, 'utf8')).export({ type: 'spki', format: 'der' });
    expect(crx.publicKey.equals(expectedKey)).toBe(true);
    // The id as letters is the extension ID Chrome gives it.
    expect([...crx.crxId.toString('hex')].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('')).toBe(extensionIdFromKey(expectedKey.toString('base64')));
  });

  it('the signature covers the zip: one changed byte no longer verifies', () => {
    const crx = makeCrx3(zip, readFileSync(DEVELOPMENT_KEY_FILE, 'utf8'));
    const tampered = Buffer.from(crx);
    tampered[tampered.length - 30] = (tampered[tampered.length - 30] as number) ^ 1;
    expect(readCrx(crx).signatureValid).toBe(true);
    expect(readCrx(tampered).signatureValid).toBe(false);
  });

  it('refuses a key that is not RSA', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => makeCrx3(zip, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow(/must be an RSA key, not ec/);
  });
});

describe('the update manifest', () => {
  it('names the ID, the version and the escaped codebase, and refuses what Chrome would not take', () => {
    const xml = makeUpdateManifest({ appId: 'a'.repeat(32), version: '1.2.3', codebase: "https://pos.example.com/x/pos-face.crx?a=1&b='2'" });
    expect(xml).toContain("<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>");
    expect(xml).toContain(`<app appid='${'a'.repeat(32)}'>`);
    expect(xml).toContain("<updatecheck codebase='https://pos.example.com/x/pos-face.crx?a=1&amp;b=%272%27' version='1.2.3' />");
    expect(() => makeUpdateManifest({ appId: 'z'.repeat(32), version: '1', codebase: 'https://x/' })).toThrow(/not an extension ID/);
    expect(() => makeUpdateManifest({ appId: 'a'.repeat(32), version: '1.2-beta', codebase: 'https://x/' })).toThrow(/not an extension version/);
    expect(() => makeUpdateManifest({ appId: 'a'.repeat(32), version: '1', codebase: 'ftp://x/' })).toThrow(/http\(s\)/);
  });
});

describe('build.mjs', () => {
  function build(env: Record<string, string>): { status: number | null; stdout: string; stderr: string; out: string } {
    const out = mkdtempSync(join(dir, 'build-'));
    const clean = { ...process.env };
    for (const name of ['POSFACE_EXTENSION_SIGNING_KEY', 'POSFACE_EXTENSION_KEY_FILE', 'POSFACE_EXTENSION_NO_KEY', 'POSFACE_EXTENSION_SERVER', 'NODE_ENV', 'POS_ORIGINS']) {
      delete clean[name];
    }
    const run = spawnSync(process.execPath, [BUILD], { env: { ...clean, POSFACE_EXTENSION_OUT: out, ...env }, encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, out };
  }

  it("signs with IT's key: manifest key, ID, .crx and update.xml all derive from that one file", () => {
    const keyFile = newKeyFile('it.pem');
    const { status, stderr, out } = build({
      NODE_ENV: 'production',
      POS_ORIGINS: 'https://pos.example.com',
      POSFACE_EXTENSION_SIGNING_KEY: keyFile,
      POSFACE_EXTENSION_SERVER: 'https://pos.example.com/',
    });
    expect(status, stderr).toBe(0);
    expect(stderr).not.toMatch(/DEVELOPMENT key/);
    const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { key: string; version: string };
    const id = readFileSync(join(out, 'extension-id.txt'), 'utf8').trim();
    const spki = createPublicKey(readFileSync(keyFile, 'utf8')).export({ type: 'spki', format: 'der' });
    expect(manifest.key).toBe(spki.toString('base64'));
    expect(id).toBe(extensionIdFromKey(manifest.key));
    const crx = readCrx(readFileSync(join(out, `pos-face-${version}.crx`)));
    expect(crx.signatureValid).toBe(true);
    expect(crx.publicKey.equals(spki)).toBe(true);
    expect(crx.zip.equals(readFileSync(join(out, `pos-face-extension-${version}.zip`)))).toBe(true);
    expect(readFileSync(join(out, 'update.xml'), 'utf8')).toBe(makeUpdateManifest({ appId: id, version, codebase: 'https://pos.example.com/extension/pos-face.crx' }));
  });

  it('a production build without a key file fails, saying what to set, and writes nothing', () => {
    const { status, stderr, out } = build({ NODE_ENV: 'production', POS_ORIGINS: 'https://pos.example.com' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/a production build needs IT's own signing key: POSFACE_EXTENSION_SIGNING_KEY=\/path\/key\.pem/);
    expect(stderr).toMatch(/development\.pem is public and signs development builds only/);
    expect(spawnSync('ls', [out], { encoding: 'utf8' }).stdout).toBe('');
  });

  it('development builds sign with the development key; given explicitly to a production build it is allowed with a warning', () => {
    const dev = build({});
    expect(dev.status, dev.stderr).toBe(0);
    expect(dev.stdout).toMatch(/signed with the development key/);
    expect(dev.stdout).not.toMatch(/update\.xml/); // no server given: nothing to point Chrome at
    const prod = build({ NODE_ENV: 'production', POS_ORIGINS: 'https://pos.example.com', POSFACE_EXTENSION_SIGNING_KEY: DEVELOPMENT_KEY_FILE });
    expect(prod.status).toBe(0);
    expect(prod.stderr).toMatch(/WARNING: signed with the public DEVELOPMENT key/);
  });

  it('refuses a key file that is not a private key, both kinds of key at once, and a bad server URL', () => {
    const notKey = join(dir, 'not-a-key.pem');
    writeFileSync(notKey, 'hello');
    expect(build({ POSFACE_EXTENSION_SIGNING_KEY: notKey }).stderr).toMatch(/not-a-key\.pem is not an RSA private key in PEM/);
    expect(build({ POSFACE_EXTENSION_SIGNING_KEY: notKey, POSFACE_EXTENSION_KEY_FILE: notKey }).stderr).toMatch(/not both/);
    expect(build({ POSFACE_EXTENSION_SERVER: 'pos.example.com' }).stderr).toMatch(/POSFACE_EXTENSION_SERVER must be the merchant server's URL/);
    expect(build({ POSFACE_EXTENSION_SERVER: 'https://pos.example.com/?x=1' }).stderr).toMatch(/without query/);
  });
});
