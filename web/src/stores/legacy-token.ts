/**
 * Before pairing codes, the POS kept a bearer token in localStorage under this key, readable by any
 * script on the origin. The credential is now an HttpOnly cookie; a token left behind by an older
 * version is removed at start so it cannot linger (IT revokes old tokens with the CLI).
 */
const LEGACY_TOKEN_KEY = 'posface.terminal.token';

export function forgetLegacyToken(storage: Storage = localStorage): void {
  storage.removeItem(LEGACY_TOKEN_KEY);
}
