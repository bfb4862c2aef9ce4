import { configureKoffi } from './koffi-setup.js';

/** The named pipe through which the vendor's DLL reaches WxpayFaceService. */
export const SERVICE_PIPE = '\\\\.\\pipe\\wxpayface';

/**
 * present: an instance is free; busy: the pipe exists but every instance is in use; missing: no such
 * pipe, so WxpayFaceService is not running; unknown: not Windows, or the check itself failed (detail).
 */
export interface PipeProbe {
  state: 'present' | 'busy' | 'missing' | 'unknown';
  detail?: string;
}

const ERROR_FILE_NOT_FOUND = 2;
const ERROR_SEM_TIMEOUT = 121;

let waitNamedPipe: ((name: string) => PipeProbe) | null = null;

function bindWaitNamedPipe(): (name: string) => PipeProbe {
  const kernel32 = configureKoffi().load('kernel32.dll');
  const wait = kernel32.func('__stdcall', 'WaitNamedPipeW', 'bool', ['str16', 'uint32']);
  const lastError = kernel32.func('__stdcall', 'GetLastError', 'uint32', []);
  return (name) => {
    // 1 ms: an existing pipe with every instance busy answers ERROR_SEM_TIMEOUT at once.
    if (wait(name, 1)) return { state: 'present' };
    const error = lastError() as number;
    if (error === ERROR_FILE_NOT_FOUND) return { state: 'missing' };
    if (error === ERROR_SEM_TIMEOUT) return { state: 'busy' };
    return { state: 'unknown', detail: `WaitNamedPipeW failed with Windows error ${error}` };
  };
}

/**
 * Whether WxpayFaceService's pipe exists, asked the way the DLL asks (WaitNamedPipeW) and without
 * connecting: opening the pipe (fs.existsSync does) would take one of the service's instances, and
 * under wine fs.existsSync says false even for a pipe that is there.
 */
export function probeServicePipe(name: string = SERVICE_PIPE, platform: NodeJS.Platform = process.platform): PipeProbe {
  if (platform !== 'win32') return { state: 'unknown', detail: 'WxpayFaceService runs on Windows only' };
  try {
    waitNamedPipe ??= bindWaitNamedPipe();
    return waitNamedPipe(name);
  } catch (error) {
    return { state: 'unknown', detail: `cannot call WaitNamedPipeW: ${error instanceof Error ? error.message : String(error)}` };
  }
}
