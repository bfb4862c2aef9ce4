/*
 * Test support: starts a native messaging host the way Chrome does on Windows, and relays this
 * program's own stdin/stdout to it (built with mingw, run under wine by the Windows tests).
 *
 *   chrome-launcher.exe [--via-cmd] HOST ARG...
 *
 * Like Chrome, it creates the byte-mode named pipes \\.\pipe\chrome.nativeMessaging.in.<token> and
 * .out.<token>. A .bat host (or any host with --via-cmd, Chrome's default) runs as
 *   %COMSPEC% /d /s /c ""HOST" ARG..." < in-pipe > out-pipe
 * in the host's folder; an .exe host otherwise starts directly with the pipes as its stdin and stdout
 * (Chrome's NativeHostsExecutablesLaunchDirectly policy). The host's stderr is this program's stderr.
 * When this program's stdin ends, the in-pipe is closed (Chrome closing the port); it exits with the
 * host's exit code once the host has closed its stdout and exited. The host runs in a job that ends
 * with this program, so a test that kills the launcher leaves no host behind.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static HANDLE in_pipe;  /* we write: the host's stdin */
static HANDLE out_pipe; /* we read: the host's stdout */

static void fail(const char *what) {
  fprintf(stderr, "chrome-launcher: %s failed (error %lu)\n", what, GetLastError());
  exit(120);
}

static DWORD WINAPI relay_stdin(LPVOID unused) {
  (void)unused;
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  char buf[65536];
  DWORD n, written;
  while (ReadFile(in, buf, sizeof buf, &n, NULL) && n > 0) {
    for (DWORD off = 0; off < n; off += written) {
      if (!WriteFile(in_pipe, buf + off, n - off, &written, NULL)) goto done;
    }
  }
done:
  /* End of our stdin: close the host's stdin, as Chrome does when the port closes. */
  CloseHandle(in_pipe);
  return 0;
}

static int ends_with(const wchar_t *s, const wchar_t *suffix) {
  size_t a = wcslen(s), b = wcslen(suffix);
  return a >= b && _wcsicmp(s + a - b, suffix) == 0;
}

int wmain(int argc, wchar_t **argv) {
  int first = 1, via_cmd = 0;
  if (argc > 1 && wcscmp(argv[1], L"--via-cmd") == 0) {
    via_cmd = 1;
    first = 2;
  }
  if (argc <= first) {
    fprintf(stderr, "usage: chrome-launcher.exe [--via-cmd] HOST ARG...\n");
    return 64;
  }
  const wchar_t *host = argv[first];
  if (ends_with(host, L".bat") || ends_with(host, L".cmd")) via_cmd = 1;

  LARGE_INTEGER now;
  QueryPerformanceCounter(&now);
  unsigned long long token = ((unsigned long long)GetCurrentProcessId() << 32) ^ (unsigned long long)now.QuadPart;
  wchar_t in_name[128], out_name[128];
  swprintf(in_name, 128, L"\\\\.\\pipe\\chrome.nativeMessaging.in.%llx", token);
  swprintf(out_name, 128, L"\\\\.\\pipe\\chrome.nativeMessaging.out.%llx", token);
  out_pipe = CreateNamedPipeW(out_name, PIPE_ACCESS_INBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE, PIPE_TYPE_BYTE, 1, 0, 0, 5000, NULL);
  if (out_pipe == INVALID_HANDLE_VALUE) fail("CreateNamedPipe(out)");
  in_pipe = CreateNamedPipeW(in_name, PIPE_ACCESS_OUTBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE, PIPE_TYPE_BYTE, 1, 0, 0, 5000, NULL);
  if (in_pipe == INVALID_HANDLE_VALUE) fail("CreateNamedPipe(in)");

  /* The host's command line as base::CommandLine writes it: the program quoted, plain arguments bare. */
  static wchar_t command[32768];
  static wchar_t cmdline[32768];
  swprintf(command, 32768, L"\"%ls\"", host);
  for (int i = first + 1; i < argc; i++) {
    wcscat(command, L" ");
    wcscat(command, argv[i]);
  }
  wchar_t folder[MAX_PATH];
  wcsncpy(folder, host, MAX_PATH - 1);
  folder[MAX_PATH - 1] = 0;
  wchar_t *slash = wcsrchr(folder, L'\\');
  if (slash) *slash = 0;

  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  ZeroMemory(&si, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  SetHandleInformation(si.hStdError, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
  HANDLE child_in = INVALID_HANDLE_VALUE, child_out = INVALID_HANDLE_VALUE;
  if (via_cmd) {
    wchar_t comspec[MAX_PATH];
    if (!GetEnvironmentVariableW(L"COMSPEC", comspec, MAX_PATH)) fail("GetEnvironmentVariable(COMSPEC)");
    swprintf(cmdline, 32768, L"\"%ls\" /d /s /c \"%ls\" < %ls > %ls", comspec, command, in_name, out_name);
    /* cmd.exe redirects the host's stdin and stdout itself; its own messages go to our stderr. */
    si.hStdInput = NULL;
    si.hStdOutput = GetStdHandle(STD_ERROR_HANDLE);
  } else {
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    child_in = CreateFileW(in_name, GENERIC_READ, 0, &inherit, OPEN_EXISTING, 0, NULL);
    child_out = CreateFileW(out_name, GENERIC_WRITE, 0, &inherit, OPEN_EXISTING, 0, NULL);
    if (child_in == INVALID_HANDLE_VALUE || child_out == INVALID_HANDLE_VALUE) fail("CreateFile(pipe client)");
    wcscpy(cmdline, command);
    si.hStdInput = child_in;
    si.hStdOutput = child_out;
  }
  HANDLE job = CreateJobObjectW(NULL, NULL);
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits;
  ZeroMemory(&limits, sizeof limits);
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!job || !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) fail("CreateJobObject");
  if (!CreateProcessW(NULL, cmdline, NULL, NULL, TRUE, CREATE_NO_WINDOW | CREATE_SUSPENDED, NULL, slash ? folder : NULL, &si, &pi)) fail("CreateProcess");
  if (!AssignProcessToJobObject(job, pi.hProcess)) fail("AssignProcessToJobObject");
  ResumeThread(pi.hThread);
  if (!via_cmd) {
    CloseHandle(child_in);
    CloseHandle(child_out);
  }
  if (!ConnectNamedPipe(out_pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) fail("ConnectNamedPipe(out)");
  if (!ConnectNamedPipe(in_pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) fail("ConnectNamedPipe(in)");

  HANDLE relay = CreateThread(NULL, 0, relay_stdin, NULL, 0, NULL);
  if (!relay) fail("CreateThread");
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  char buf[65536];
  DWORD n, written;
  while (ReadFile(out_pipe, buf, sizeof buf, &n, NULL) && n > 0) {
    for (DWORD off = 0; off < n; off += written) {
      if (!WriteFile(out, buf + off, n - off, &written, NULL)) fail("WriteFile(stdout)");
    }
  }
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 0;
  GetExitCodeProcess(pi.hProcess, &code);
  return (int)code;
}
