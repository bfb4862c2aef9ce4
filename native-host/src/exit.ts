import koffi from 'koffi';

/** The host's exit codes (the extension sees "Native host has exited." whatever the code; logs say why). */
export const EXIT = {
  OK: 0,
  /** The inbound stream broke (a frame header over the limit): it cannot be resynchronised. */
  BAD_STREAM: 2,
  /**
   * An SDK call outlived its timeout; its thread cannot be cancelled, so the process goes. (A call on the
   * main thread is ended by its watchdog with SIGKILL, TerminateProcess on Windows: sdk-watchdog.ts.)
   */
  SDK_STUCK: 3,
  USAGE: 64,
  INTERNAL: 70,
} as const;

/**
 * Ends the process without running exit handlers. process.exit() would wait forever for a thread
 * still blocked inside the SDK (libuv joins its thread pool on the way out), so after a timeout the
 * host leaves through _exit (POSIX) or TerminateProcess (Windows).
 */
export function hardExit(code: number): never {
  try {
    if (process.platform === 'win32') {
      const kernel32 = koffi.load('kernel32.dll');
      const getCurrentProcess = kernel32.func('void *__stdcall GetCurrentProcess(void)');
      const terminate = kernel32.func('int __stdcall TerminateProcess(void *hProcess, unsigned int uExitCode)');
      terminate(getCurrentProcess(), code);
    } else {
      const libc = koffi.load(null);
      libc.func('void _exit(int status)')(code);
    }
  } catch (error) {
    // Last resort: a signal cannot be blocked by a stuck thread either.
    process.stderr.write(`pos-face-host: hard exit failed (${String(error)}), killing the process\n`);
  }
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: the process was killed');
}
