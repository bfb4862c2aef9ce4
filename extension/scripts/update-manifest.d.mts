/** The gupdate (protocol 2.0) update manifest for one extension. */
export declare function makeUpdateManifest(app: { appId: string; version: string; codebase: string }): string;
/** The .crx URL for a server base URL and the server's path for it. */
export declare function codebaseFor(server: string, crxPath: string): string;
