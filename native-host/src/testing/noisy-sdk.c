/*
 * Test support: a WxpayFaceSDK.dll stand-in that prints to stdout when it loads and on every call, in
 * each way a vendor DLL can: its C runtime's printf and fd 1, and WriteFile on GetStdHandle. The host
 * must keep all of it off its frames (built with mingw for the Windows tests).
 */
#include <windows.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void shout(const char *what) {
  printf("noisy SDK printf: %s\n", what);
  fflush(stdout);
  char line[128];
  int n = snprintf(line, sizeof line, "noisy SDK fd 1: %s\n", what);
  if (n > 0) _write(1, line, (unsigned)n);
  n = snprintf(line, sizeof line, "noisy SDK WriteFile: %s\r\n", what);
  DWORD written;
  if (n > 0) WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, (DWORD)n, &written, NULL);
}

BOOL WINAPI DllMain(HINSTANCE dll, DWORD reason, LPVOID reserved) {
  (void)dll;
  (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) shout("loaded");
  return TRUE;
}

__declspec(dllexport) int wxpayCallFaceService(const char *req, unsigned int size, char **resp, unsigned int *resp_size) {
  (void)req;
  char what[64];
  snprintf(what, sizeof what, "call of %u bytes", size);
  shout(what);
  static const char answer[] = "{\"return_code\":\"SUCCESS\",\"return_msg\":\"SUCCESS\",\"rawdata\":\"bm9pc3k=\"}";
  *resp = malloc(sizeof answer - 1);
  if (*resp == NULL) return -3;
  memcpy(*resp, answer, sizeof answer - 1);
  *resp_size = sizeof answer - 1;
  return 0;
}

__declspec(dllexport) void wxpayReleaseResponse(char **resp) {
  if (resp && *resp) {
    free(*resp);
    *resp = NULL;
  }
}
