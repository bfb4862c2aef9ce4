/** The 16-byte CRX id of a DER (SPKI) public key. */
export declare function crxIdOf(publicKeyDer: Buffer): Buffer;
/** The SPKI DER public key of a PEM private key. */
export declare function publicKeyDerOf(privateKeyPem: string): Buffer;
/** Signs `zip` with the RSA private key (PEM) into a CRX3 file. */
export declare function makeCrx3(zip: Buffer, privateKeyPem: string): Buffer;
