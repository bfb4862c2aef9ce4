/** The extension ID Chrome derives from `key` (see extension-id.mjs). */
export declare function extensionIdFromKey(base64Der: string): string;
export declare const KEY_FILE: string;
export declare const EXTENSION_KEY: string;
export declare const EXTENSION_ID: string;
