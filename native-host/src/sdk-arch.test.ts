import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from '@posface/testing';
import { SIM_LIBRARY_PATH, SIM_ROOT } from '@posface/wxpay-sim';
import { describe, expect, it } from 'vitest';
import { archMismatch, libraryKindFromHeader, readLibraryKind } from './sdk-arch.js';
import { explainLoadError } from './sdk-loader.js';

// Headers of real files: the simulator built for this machine and, by mingw-w64, for Windows.
describe('library kinds', () => {
  it.runIf(requireTool('mingw-ia32', 'mingw-x64'))('reads the simulator .so and the Windows DLLs', () => {
    expect(readLibraryKind(SIM_LIBRARY_PATH)).toEqual({ format: 'elf', arch: process.arch });
    expect(readLibraryKind(join(SIM_ROOT, 'sdk/build/win-ia32/WxpayFaceSDK.dll'))).toEqual({ format: 'pe', arch: 'ia32' });
    expect(readLibraryKind(join(SIM_ROOT, 'sdk/build/win-x64/WxpayFaceSDK.dll'))).toEqual({ format: 'pe', arch: 'x64' });
    expect(readLibraryKind(process.execPath).format).toBe('elf');
  });

  it('knows nothing of a file that is no library', () => {
    expect(libraryKindFromHeader(Buffer.from('hello world, not a library'))).toEqual({ format: 'unknown', arch: 'unknown' });
    expect(libraryKindFromHeader(Buffer.alloc(0))).toEqual({ format: 'unknown', arch: 'unknown' });
  });

  it.runIf(requireTool('mingw-ia32'))('names a bitness mismatch and which host to install', () => {
    const ia32 = readLibraryKind(join(SIM_ROOT, 'sdk/build/win-ia32/WxpayFaceSDK.dll'));
    expect(archMismatch(ia32, 'x64', 'win32')).toBe(
      'The SDK DLL is 32-bit (ia32) but this Node is 64-bit (x64): install the ia32 host (the win-ia32 MSI, or a ia32 Node.js), or use the x64 SDK DLL.',
    );
    expect(archMismatch({ format: 'pe', arch: 'x64' }, 'ia32', 'win32')).toMatch(/64-bit \(x64\) but this Node is 32-bit \(ia32\): install the x64 host/);
    expect(archMismatch(ia32, 'ia32', 'win32')).toBeNull();
    expect(archMismatch(ia32, 'x64', 'linux')).toMatch(/is a Windows DLL \(ia32\), which this linux host cannot load/);
    expect(archMismatch({ format: 'elf', arch: 'arm64' }, 'x64', 'linux')).toMatch(/built for arm64 but this Node runs on x64/);
    const sim = readFileSync(SIM_LIBRARY_PATH).subarray(0, 64);
    expect(archMismatch(libraryKindFromHeader(sim))).toBeNull();
  });
});

describe('explainLoadError', () => {
  it.each([
    ['Failed to load shared library: wrong ELF class: ELFCLASS32', /is 32-bit but this Node is x64/],
    ['Failed to load shared library: %1 is not a valid Win32 application.', /install the host that matches the DLL/],
    ['Failed to load shared library: The specified module could not be found.', /needs another library that is missing/],
    ["Cannot find function 'wxpayCallFaceService' in shared library", /not the WeChat face SDK/],
    ['Failed to load shared library: file too short', /failed to load: Failed to load shared library: file too short/],
  ])('turns %j into advice', (message, pattern) => {
    expect(explainLoadError(message, 'C:\\sdk\\WxpayFaceSDK.dll', 'x64')).toMatch(pattern);
  });
});
