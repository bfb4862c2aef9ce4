/*
 * Stands in for the vendor's WxpayFaceService in the wine tests: holds the named pipe
 * \\.\pipe\wxpayface open (one free instance at all times) for argv[1] seconds, as the running
 * service does, so `doctor` and the host can tell "running" from "not running".
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int wmain(int argc, wchar_t **argv) {
  DWORD seconds = argc > 1 ? (DWORD)_wtoi(argv[1]) : 60;
  HANDLE pipe = CreateNamedPipeW(L"\\\\.\\pipe\\wxpayface", PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT,
                                 PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, NULL);
  if (pipe == INVALID_HANDLE_VALUE) {
    fprintf(stderr, "face-service: CreateNamedPipeW failed (%lu)\n", GetLastError());
    return 1;
  }
  printf("face-service: listening\n");
  fflush(stdout);
  Sleep(seconds * 1000);
  CloseHandle(pipe);
  return 0;
}
