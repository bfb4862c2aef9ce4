import { existsSync, statSync } from 'node:fs';
import { FaceError, type SdkStatus } from '@posface/protocol';
import type { HostConfig } from './config.js';
import { archMismatch, readLibraryKind } from './sdk-arch.js';
import { bindSdkLibrary, type SdkLibrary } from './sdk-binding.js';

/** The SDK as the host found it at start: a bound library, or why not (with what to do). */
export interface SdkState {
  status: SdkStatus;
  library: SdkLibrary | null;
}

const SET_PATH = 'set POSFACE_SDK_PATH or "sdkPath" in pos-face-host.config.json (see native-host/README.md)';

/** Turns koffi's load error into a sentence IT can act on. */
export function explainLoadError(message: string, path: string, processArch: string = process.arch): string {
  if (/wrong ELF class: ELFCLASS32|not a valid Win32 application|error 193\b|incompatible architecture|mach-o file, but is an incompatible/i.test(message)) {
    const libBits = /ELFCLASS32/.test(message) ? '32-bit' : /ELFCLASS64/.test(message) ? '64-bit' : 'built for another architecture';
    return `The SDK DLL ${path} is ${libBits} but this Node is ${processArch}: install the host that matches the DLL (an ia32 Node.js for a 32-bit DLL). (${message})`;
  }
  if (/ELFCLASS64/.test(message)) {
    return `The SDK library ${path} is 64-bit but this Node is ${processArch}: install the x64 host. (${message})`;
  }
  if (/specified module could not be found|error 126\b|cannot open shared object file/i.test(message)) {
    return `The SDK library ${path} needs another library that is missing (for the vendor's DLL: the Visual C++ runtime and WxpayFaceService): reinstall the WeChat face SDK. (${message})`;
  }
  if (/cannot find function|undefined symbol|could not find|procedure could not be found/i.test(message)) {
    return `${path} loads but does not export wxpayCallFaceService/wxpayReleaseResponse: it is not the WeChat face SDK. (${message})`;
  }
  return `The SDK library ${path} failed to load: ${message}`;
}

function unavailable(path: string | null, error: string): SdkState {
  return { status: { loaded: false, path, arch: process.arch, error }, library: null };
}

/**
 * Finds and loads the SDK. Never throws: a missing DLL, a DLL of the wrong bitness or a failed load
 * leaves the host running with `loaded: false` and the reason, which `hello` reports and every `call`
 * answers as SDK_UNAVAILABLE.
 */
export function loadSdk(config: HostConfig, problem: FaceError | null = null): SdkState {
  if (problem) return unavailable(config.sdkPath, `${problem.message}. Fix the configuration and restart the browser.`);
  const path = config.sdkPath;
  if (path === null) return unavailable(null, `No SDK library is configured on ${process.platform}: ${SET_PATH}.`);
  const from = {
    env: 'POSFACE_SDK_PATH',
    config: `sdkPath in ${config.configFile}`,
    machine: "the MSI's SDK_PATH",
    default: 'the Windows default',
    none: '',
  }[config.sdkPathSource];
  // An MSI install is fixed the MSI's way: run it again with the right SDK_PATH (it keeps the rest).
  const fix = config.sdkPathSource === 'machine' ? 'run the MSI again with SDK_PATH=<the DLL> (see native-host/README.md)' : SET_PATH;
  if (!existsSync(path)) return unavailable(path, `The SDK library ${path} (from ${from}) does not exist: install the WeChat face SDK there, or ${fix}.`);
  if (!statSync(path).isFile()) return unavailable(path, `The SDK path ${path} (from ${from}) is not a file: ${fix}.`);
  let mismatch: string | null;
  try {
    mismatch = archMismatch(readLibraryKind(path));
  } catch (error) {
    return unavailable(path, `The SDK library ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (mismatch) return unavailable(path, mismatch);
  try {
    const library = bindSdkLibrary(path);
    return { status: { loaded: true, path, arch: process.arch, error: null }, library };
  } catch (error) {
    return unavailable(path, explainLoadError(error instanceof Error ? error.message : String(error), path));
  }
}

/** The error every `call` gets while the SDK is not loaded. */
export function sdkUnavailableError(status: SdkStatus): FaceError {
  return new FaceError('SDK_UNAVAILABLE', status.error ?? 'The SDK is not loaded', { details: { path: status.path, arch: status.arch } });
}
