import { createWriteStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { Console } from 'node:console';
import { configureKoffi } from './koffi-setup.js';

/**
 * A vendor DLL that prints would write between our frames on stdout, and Chrome would drop the
 * connection. Before any SDK is loaded, the host keeps the real stdout for its frames and points
 * every other way to "stdout" at stderr (Chrome's log), or at NUL when there is no stderr.
 */
interface GuardedStdout {
  /** Where frames go: the stdout Chrome gave us. */
  stream: Writable;
  /** Its file descriptor (the watchdog thread writes its one answer there). */
  fd: number;
  /** True when native prints can no longer reach `stream`. */
  guarded: boolean;
  /** What could not be redirected (logged by the host). */
  problems: string[];
}

/** `stdout` gives process.stdout: only framing.ts names it (the lint rule that guards the channel). */
export function guardStdout(stdout: () => Writable): GuardedStdout {
  return process.platform === 'win32' ? guardWindows(stdout()) : guardPosix(stdout);
}

/** POSIX: keep a private duplicate of fd 1 for the frames, then make fd 1 a copy of stderr. */
function guardPosix(stdout: () => Writable): GuardedStdout {
  const libc = configureKoffi().load(null);
  const dup = libc.func('int dup(int fd)');
  const dup2 = libc.func('int dup2(int oldfd, int newfd)');
  const fd = dup(1) as number;
  if (fd < 0 || (dup2(2, 1) as number) !== 1) return { stream: stdout(), fd: 1, guarded: false, problems: ['dup/dup2 of fd 1 failed'] };
  const stat = fstatSync(fd);
  const stream: Writable = stat.isFIFO() || stat.isSocket() ? new Socket({ fd, readable: false, writable: true }) : createWriteStream('', { fd });
  return { stream, fd, guarded: true, problems: [] };
}

const STD_OUTPUT_HANDLE = 0xfffffff5; // (DWORD)-11
const STD_ERROR_HANDLE = 0xfffffff4; // (DWORD)-12
const HANDLE_FLAG_PROTECT_FROM_CLOSE = 2;
const GENERIC_WRITE = 0x40000000;
const FILE_SHARE_READ_WRITE = 3;
const OPEN_EXISTING = 3;
const O_WRONLY = 1;

/**
 * Windows. node.exe links its C runtime statically, so `stream` (process.stdout: node's own fd 1) keeps
 * the handle Chrome gave us. Native code finds "stdout" three other ways, each pointed at stderr:
 * GetStdHandle (what a DLL with a static C runtime reads when it loads), and fd 1 of the shared C
 * runtimes (msvcrt.dll for mingw builds, ucrtbase.dll for MSVC /MD builds). Those fds hold the very
 * handle node's fd 1 holds, and _dup2 closes it first: it is protected from closing meanwhile (the C
 * runtimes ignore that failure and free the fd anyway). Then JavaScript's console and process.stdout
 * are pointed at stderr too, as fd 1 is on POSIX.
 */
function guardWindows(stream: Writable): GuardedStdout {
  const problems: string[] = [];
  const koffi = configureKoffi();
  const kernel32 = koffi.load('kernel32.dll');
  const getStdHandle = kernel32.func('intptr_t __stdcall GetStdHandle(uint32_t nStdHandle)');
  const setStdHandle = kernel32.func('int __stdcall SetStdHandle(uint32_t nStdHandle, intptr_t hHandle)');
  const setHandleInformation = kernel32.func('int __stdcall SetHandleInformation(intptr_t h, uint32_t mask, uint32_t flags)');
  const out = getStdHandle(STD_OUTPUT_HANDLE) as number;
  let sink = getStdHandle(STD_ERROR_HANDLE) as number;
  if (sink === 0 || sink === -1) {
    // Chrome gives a host no stderr unless it runs with logging on: native prints then go nowhere.
    const createFile = kernel32.func(
      'intptr_t __stdcall CreateFileW(const char16_t *name, uint32_t access, uint32_t share, void *security, uint32_t disposition, uint32_t flags, intptr_t template)',
    );
    sink = createFile('NUL', GENERIC_WRITE, FILE_SHARE_READ_WRITE, null, OPEN_EXISTING, 0, 0) as number;
  }
  const protect = (on: boolean): void => {
    for (const handle of [out, sink]) setHandleInformation(handle, HANDLE_FLAG_PROTECT_FROM_CLOSE, on ? HANDLE_FLAG_PROTECT_FROM_CLOSE : 0);
  };
  protect(true);
  try {
    if (sink === -1 || (setStdHandle(STD_OUTPUT_HANDLE, sink) as number) === 0) problems.push('SetStdHandle(STD_OUTPUT_HANDLE) failed');
    for (const name of ['msvcrt.dll', 'ucrtbase.dll']) {
      try {
        const crt = koffi.load(name);
        const dup2 = crt.func('int _dup2(int fd1, int fd2)');
        if ((dup2(2, 1) as number) === 0) continue;
        // That runtime has no fd 2 (no stderr): NUL instead.
        const nul = crt.func('int _open(const char *path, int flags)')('NUL', O_WRONLY) as number;
        if (nul < 0 || (dup2(nul, 1) as number) !== 0) problems.push(`${name}: fd 1 could not be redirected`);
      } catch (error) {
        problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    protect(false);
  }
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, get: () => process.stderr });
  return { stream, fd: 1, guarded: problems.length === 0, problems };
}
