/** The extension ID Chrome derives from `key` (see extension-id.mjs). */
export declare function extensionIdFromKey(base64Der: string): string;
/** The public key (base64 DER) of a PEM private key file. */
export declare function publicKeyOfFile(file: string): string;
export declare const DEVELOPMENT_KEY_FILE: string;
export declare const KEY_FROM_ENV: string | null;
export declare const SIGNING_KEY_FILE: string | null;
export declare const EXTENSION_KEY: string;
export declare const EXTENSION_ID: string;
export declare const IS_DEVELOPMENT_KEY: boolean;
