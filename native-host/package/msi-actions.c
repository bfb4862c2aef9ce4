/*
 * The MSI's two custom actions (a DLL in its Binary table, built with mingw by package/msi.ts).
 *
 * CheckProperties (immediate): refuses an install without a valid EXTENSION_ID, a malformed UPDATE_URL
 * or POS_ORIGINS, with a message that says what to pass; turns POS_ORIGINS ("https://a, https://b")
 * into the JSON list Chrome's policy loader accepts in a REG_SZ (POS_ORIGINS_JSON).
 *
 * WriteManifest (deferred, as SYSTEM): fills the installed host manifest's placeholders with the
 * host's path and the extension id. CustomActionData: "<manifest path>|<host path>|<extension id>".
 *
 * The origins are only checked for shape here (scheme, no characters that would break JSON); the
 * extension applies its full rule when it reads the policy.
 */
#include <windows.h>
#include <msi.h>
#include <msiquery.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define EXPORT __declspec(dllexport) UINT __stdcall

static const wchar_t *HOST_PATH_TOKEN = L"@POSFACE_HOST_PATH@";
static const wchar_t *EXTENSION_ID_TOKEN = L"@POSFACE_EXTENSION_ID@";

/* Logs a line (and, for errors, shows it when there is a UI). */
static void say(MSIHANDLE install, INSTALLMESSAGE kind, const wchar_t *text) {
  MSIHANDLE record = MsiCreateRecord(1);
  MsiRecordSetStringW(record, 0, text);
  MsiProcessMessage(install, kind, record);
  MsiCloseHandle(record);
}

static UINT refuse(MSIHANDLE install, const wchar_t *text) {
  say(install, INSTALLMESSAGE_ERROR, text);
  return ERROR_INSTALL_FAILURE;
}

/* A property's value, malloc'd ("" when unset). */
static wchar_t *property(MSIHANDLE install, const wchar_t *name) {
  DWORD size = 0;
  wchar_t empty[1] = L"";
  MsiGetPropertyW(install, name, empty, &size);
  wchar_t *value = calloc(size + 1, sizeof(wchar_t));
  if (value == NULL) return NULL;
  size += 1;
  if (MsiGetPropertyW(install, name, value, &size) != ERROR_SUCCESS) value[0] = 0;
  return value;
}

static int is_extension_id(const wchar_t *id) {
  if (wcslen(id) != 32) return 0;
  for (const wchar_t *c = id; *c; c++) {
    if (*c < L'a' || *c > L'p') return 0;
  }
  return 1;
}

static int starts_with(const wchar_t *s, const wchar_t *prefix) {
  return wcsncmp(s, prefix, wcslen(prefix)) == 0;
}

/* scheme://host[:port][/] with nothing that needs escaping in JSON or a policy value. */
static int is_origin_shape(const wchar_t *s, size_t n) {
  size_t skip = n >= 8 && wcsncmp(s, L"https://", 8) == 0 ? 8 : n >= 7 && wcsncmp(s, L"http://", 7) == 0 ? 7 : 0;
  if (skip == 0 || skip == n) return 0;
  for (size_t i = skip; i < n; i++) {
    wchar_t c = s[i];
    int ok = (c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z') || (c >= L'0' && c <= L'9') || wcschr(L".-:*[]", c) != NULL ||
             (c == L'/' && i == n - 1);
    if (!ok) return 0;
  }
  return 1;
}

EXPORT CheckProperties(MSIHANDLE install) {
  UINT result = ERROR_SUCCESS;
  wchar_t *id = property(install, L"EXTENSION_ID");
  wchar_t *url = property(install, L"UPDATE_URL");
  wchar_t *origins = property(install, L"POS_ORIGINS");
  wchar_t *json = origins ? calloc(wcslen(origins) * 2 + 8, sizeof(wchar_t)) : NULL;
  if (!id || !url || !origins || !json) {
    result = refuse(install, L"POS Face host: out of memory while reading the installer's properties.");
    goto done;
  }
  if (id[0] == 0) {
    result = refuse(install,
                    L"POS Face host: EXTENSION_ID is required: the 32-letter id of the POS Face extension (chrome://extensions), "
                    L"e.g. msiexec /i pos-face-host.msi EXTENSION_ID=abcdefghijklmnopabcdefghijklmnop /qn");
    goto done;
  }
  if (!is_extension_id(id)) {
    result = refuse(install, L"POS Face host: EXTENSION_ID must be an extension id: 32 letters from a to p (see chrome://extensions).");
    goto done;
  }
  if (url[0] != 0 && ((!starts_with(url, L"https://") && !starts_with(url, L"http://")) || wcspbrk(url, L"; \t\"") != NULL)) {
    result = refuse(install, L"POS Face host: UPDATE_URL must be the http(s) URL of the extension's update manifest (no spaces or ';').");
    goto done;
  }
  /* POS_ORIGINS: entries separated by commas and/or spaces → ["a","b"]. */
  wcscpy(json, L"[");
  size_t count = 0;
  for (wchar_t *p = origins; *p;) {
    while (*p == L',' || *p == L' ' || *p == L'\t') p++;
    size_t n = wcscspn(p, L", \t");
    if (n == 0) break;
    if (!is_origin_shape(p, n)) {
      result = refuse(install, L"POS Face host: POS_ORIGINS must list origins like https://pos.example.com, separated by commas.");
      goto done;
    }
    if (count++ > 0) wcscat(json, L",");
    wcscat(json, L"\"");
    wcsncat(json, p, n);
    wcscat(json, L"\"");
    p += n;
  }
  wcscat(json, L"]");
  if (count > 0) MsiSetPropertyW(install, L"POS_ORIGINS_JSON", json);
done:
  free(id);
  free(url);
  free(origins);
  free(json);
  return result;
}

/* `text` with every `token` replaced by `value` (malloc'd). */
static wchar_t *replace(const wchar_t *text, const wchar_t *token, const wchar_t *value) {
  size_t hits = 0, tlen = wcslen(token), vlen = wcslen(value);
  for (const wchar_t *p = wcsstr(text, token); p; p = wcsstr(p + tlen, token)) hits++;
  wchar_t *out = calloc(wcslen(text) + hits * vlen + 1, sizeof(wchar_t));
  if (out == NULL) return NULL;
  const wchar_t *from = text;
  for (const wchar_t *p = wcsstr(text, token); p; from = p + tlen, p = wcsstr(from, token)) {
    wcsncat(out, from, (size_t)(p - from));
    wcscat(out, value);
  }
  wcscat(out, from);
  return out;
}

/* The path as the inside of a JSON string: backslashes doubled (paths hold no quotes). */
static wchar_t *json_path(const wchar_t *path) {
  return replace(path, L"\\", L"\\\\");
}

EXPORT WriteManifest(MSIHANDLE install) {
  wchar_t *data = property(install, L"CustomActionData");
  wchar_t *host = data ? wcschr(data, L'|') : NULL;
  wchar_t *id = host ? wcschr(host + 1, L'|') : NULL;
  if (!id) {
    free(data);
    return refuse(install, L"POS Face host: WriteManifest got no manifest|host|id data.");
  }
  *host++ = 0;
  *id++ = 0;
  UINT result = ERROR_INSTALL_FAILURE;
  wchar_t *text = NULL, *escaped = NULL, *step = NULL, *done = NULL;
  char *utf8 = NULL;
  HANDLE file = CreateFileW(data, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (file == INVALID_HANDLE_VALUE) goto fail;
  DWORD size = GetFileSize(file, NULL), got = 0;
  char *raw = calloc(size + 1, 1);
  if (raw && !ReadFile(file, raw, size, &got, NULL)) got = 0;
  CloseHandle(file);
  if (!raw || got != size) {
    free(raw);
    goto fail;
  }
  int wide = MultiByteToWideChar(CP_UTF8, 0, raw, (int)size, NULL, 0);
  text = calloc((size_t)wide + 1, sizeof(wchar_t));
  if (text) MultiByteToWideChar(CP_UTF8, 0, raw, (int)size, text, wide);
  free(raw);
  if (!text || !(escaped = json_path(host)) || !(step = replace(text, HOST_PATH_TOKEN, escaped)) ||
      !(done = replace(step, EXTENSION_ID_TOKEN, id)))
    goto fail;
  int bytes = WideCharToMultiByte(CP_UTF8, 0, done, -1, NULL, 0, NULL, NULL);
  utf8 = malloc((size_t)bytes);
  if (!utf8) goto fail;
  WideCharToMultiByte(CP_UTF8, 0, done, -1, utf8, bytes, NULL, NULL);
  file = CreateFileW(data, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (file == INVALID_HANDLE_VALUE) goto fail;
  DWORD wrote = 0;
  BOOL ok = WriteFile(file, utf8, (DWORD)(bytes - 1), &wrote, NULL) && wrote == (DWORD)(bytes - 1);
  CloseHandle(file);
  if (ok) result = ERROR_SUCCESS;
fail:
  if (result != ERROR_SUCCESS) {
    wchar_t message[1024];
    swprintf(message, 1024, L"POS Face host: cannot write the host manifest %ls (error %lu).", data, GetLastError());
    say(install, INSTALLMESSAGE_ERROR, message);
  }
  free(text);
  free(escaped);
  free(step);
  free(done);
  free(utf8);
  free(data);
  return result;
}
