/**
 * What the Windows release build (native-host/package) bakes into its bundle: the host then runs as a
 * single executable (Node SEA), with no package folder, package.json or node_modules beside it.
 */
export interface ReleaseInfo {
  version: string;
}

declare const __POSFACE_RELEASE__: ReleaseInfo | undefined;

/** The release's facts in the single executable; null when the host runs from a checkout. */
export const RELEASE: ReleaseInfo | null = typeof __POSFACE_RELEASE__ === 'undefined' ? null : __POSFACE_RELEASE__;
