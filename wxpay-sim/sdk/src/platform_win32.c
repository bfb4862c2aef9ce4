/* Win32 implementation of platform.h (the mingw-w64 builds of WxpayFaceSDK.dll). */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <bcrypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "platform.h"

static SRWLOCK lock = SRWLOCK_INIT;
static CONDITION_VARIABLE cond = CONDITION_VARIABLE_INIT;

void sim_lock(void) { AcquireSRWLockExclusive(&lock); }
void sim_unlock(void) { ReleaseSRWLockExclusive(&lock); }

int64_t sim_monotonic_ms(void) { return (int64_t)GetTickCount64(); }

void sim_wait_until(int64_t deadline_ms) {
  int64_t left = deadline_ms - sim_monotonic_ms();
  if (left <= 0) return;
  SleepConditionVariableSRW(&cond, &lock, left > 0x7ffffffe ? 0x7ffffffe : (DWORD)left, 0);
}

void sim_broadcast(void) { WakeAllConditionVariable(&cond); }

int64_t sim_unix_now(void) { return (int64_t)time(NULL); }

void sim_sleep_ms(int64_t ms) { Sleep(ms > 0x7ffffffe ? 0x7ffffffe : (DWORD)ms); }

int sim_random_bytes(unsigned char *buf, size_t n) {
  return BCryptGenRandom(NULL, buf, (ULONG)n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0 ? 0 : -1;
}

static wchar_t *widen(const char *utf8) {
  int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
  if (n <= 0) return NULL;
  wchar_t *w = malloc((size_t)n * sizeof(wchar_t));
  if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, w, n) != n) {
    free(w);
    return NULL;
  }
  return w;
}

/* The CRT's getenv keeps a copy taken at start-up; Node sets variables with SetEnvironmentVariableW. */
char *sim_getenv(const char *name) {
  wchar_t *wname = widen(name);
  if (!wname) return NULL;
  DWORD n = GetEnvironmentVariableW(wname, NULL, 0);
  if (n == 0) {
    free(wname);
    return NULL;
  }
  wchar_t *wvalue = malloc((size_t)n * sizeof(wchar_t));
  char *value = NULL;
  if (wvalue && GetEnvironmentVariableW(wname, wvalue, n) < n) {
    int len = WideCharToMultiByte(CP_UTF8, 0, wvalue, -1, NULL, 0, NULL, NULL);
    value = len > 0 ? malloc((size_t)len) : NULL;
    if (value) WideCharToMultiByte(CP_UTF8, 0, wvalue, -1, value, len, NULL, NULL);
  }
  free(wvalue);
  free(wname);
  return value;
}

/* fopen would read the path in the ANSI code page: go through UTF-16 so any path works. */
FILE *sim_fopen(const char *path, const char *mode) {
  wchar_t *wpath = widen(path);
  wchar_t *wmode = widen(mode);
  FILE *f = wpath && wmode ? _wfopen(wpath, wmode) : NULL;
  if (!wpath || !wmode) errno = EINVAL;
  free(wpath);
  free(wmode);
  return f;
}
