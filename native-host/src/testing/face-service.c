/*
 * A stand-in for WxpayFaceService under wine, for `doctor` (which checks that the service's pipe
 * \\.\pipe\wxpayface exists): the pipe is there, accepting connections, until stdin closes. Prints
 * "ready" once it is.
 */
#include <stdio.h>
#include <windows.h>

static DWORD WINAPI accept_connections(LPVOID pipe) {
  for (;;) {
    if (!ConnectNamedPipe((HANDLE)pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) return 1;
    DisconnectNamedPipe((HANDLE)pipe);
  }
}

int wmain(void) {
  HANDLE pipe = CreateNamedPipeW(L"\\\\.\\pipe\\wxpayface", PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_WAIT,
                                 PIPE_UNLIMITED_INSTANCES, 0, 0, 0, NULL);
  if (pipe == INVALID_HANDLE_VALUE) return 1;
  if (!CreateThread(NULL, 0, accept_connections, pipe, 0, NULL)) return 1;
  fputs("ready\n", stdout);
  fflush(stdout);
  char byte;
  DWORD got;
  while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), &byte, 1, &got, NULL) && got > 0) {
  }
  return 0;
}
