import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';

/**
 * A CRX3 file as Chromium reads it (components/crx_file/crx3.proto):
 *   "Cr24" · uint32le 3 · uint32le header size · CrxFileHeader · the zip
 *   CrxFileHeader { repeated AsymmetricKeyProof sha256_with_rsa = 2; bytes signed_header_data = 10000; }
 *   AsymmetricKeyProof { bytes public_key = 1; bytes signature = 2; }
 *   SignedData { bytes crx_id = 1; }   (crx_id: the first 16 bytes of SHA-256 of the public key's DER)
 * The signature (RSASSA-PKCS1-v1_5, SHA-256) covers "CRX3 SignedData\0" · uint32le size of
 * signed_header_data · signed_header_data · the zip. Only these few fields are written, so a small
 * encoder here does it (see docs/extension-distribution.md).
 */

const MAGIC = Buffer.from('Cr24', 'ascii');
const SIGNATURE_CONTEXT = Buffer.from('CRX3 SignedData\x00', 'latin1');

function varint(value) {
  const bytes = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** One length-delimited protobuf field (wire type 2). */
function bytesField(field, data) {
  return Buffer.concat([varint(field * 8 + 2), varint(data.length), data]);
}

function uint32le(value) {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value, 0);
  return out;
}

/** The 16-byte CRX id of a DER (SPKI) public key; as letters a-p it is the extension ID. */
export function crxIdOf(publicKeyDer) {
  return createHash('sha256').update(publicKeyDer).digest().subarray(0, 16);
}

/** The SPKI DER public key of a PKCS#8 (or PKCS#1) PEM private key. */
export function publicKeyDerOf(privateKeyPem) {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' });
}

/** Signs `zip` with the RSA private key (PEM) into a CRX3 file. */
export function makeCrx3(zip, privateKeyPem) {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`the extension signing key must be an RSA key, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const signedHeaderData = bytesField(1, crxIdOf(publicKey));
  const signature = sign('sha256', Buffer.concat([SIGNATURE_CONTEXT, uint32le(signedHeaderData.length), signedHeaderData, zip]), privateKey);
  const header = Buffer.concat([
    bytesField(2, Buffer.concat([bytesField(1, publicKey), bytesField(2, signature)])),
    bytesField(10000, signedHeaderData),
  ]);
  return Buffer.concat([MAGIC, uint32le(3), uint32le(header.length), header, zip]);
}
