import { configureKoffi } from './koffi-setup.js';

/**
 * What the Windows installer (the MSI) records for a machine-wide install, under HKLM in the host's own
 * registry view (a 32-bit host reads the 32-bit view, where the x86 MSI wrote). The host reads it
 * through advapi32 directly: spawning reg.exe would cost a process per Chrome connection.
 */
export const MACHINE_SETTINGS_KEY = 'SOFTWARE\\PosFace\\NativeHost';

export interface MachineSettings {
  /** The MSI's SDK_PATH. */
  sdkPath?: string;
  /** The machine's log folder (%ProgramData%\PosFace\logs). */
  logDir?: string;
}

/** Registry value names, as the MSI writes them (native-host/package/pos-face-host.wxs). */
const VALUES = { sdkPath: 'SdkPath', logDir: 'LogDir' } as const;

const HKEY_LOCAL_MACHINE = -2147483646; // (HKEY)(LONG)0x80000002, sign-extended on x64
const RRF_RT_REG_SZ = 0x2; // REG_SZ, and REG_EXPAND_SZ expanded
const ERROR_FILE_NOT_FOUND = 2;
const ERROR_MORE_DATA = 234;

/** The settings on this machine; empty off Windows or when no MSI installed the host. Throws on a registry error. */
export function readMachineSettings(platform: NodeJS.Platform = process.platform): MachineSettings {
  if (platform !== 'win32') return {};
  const advapi32 = configureKoffi().load('advapi32.dll');
  const regGetValue = advapi32.func(
    'long __stdcall RegGetValueW(intptr_t hkey, const char16_t *subKey, const char16_t *value, uint32_t flags, void *type, _Out_ uint8_t *data, _Inout_ uint32_t *size)',
  );
  const settings: MachineSettings = {};
  for (const [field, name] of Object.entries(VALUES) as Array<[keyof MachineSettings, string]>) {
    let data = Buffer.alloc(1024);
    const size = [data.length];
    let status = regGetValue(HKEY_LOCAL_MACHINE, MACHINE_SETTINGS_KEY, name, RRF_RT_REG_SZ, null, data, size) as number;
    if (status === ERROR_MORE_DATA) {
      data = Buffer.alloc(size[0] as number);
      status = regGetValue(HKEY_LOCAL_MACHINE, MACHINE_SETTINGS_KEY, name, RRF_RT_REG_SZ, null, data, size) as number;
    }
    if (status === ERROR_FILE_NOT_FOUND) continue;
    if (status !== 0) throw new Error(`HKLM\\${MACHINE_SETTINGS_KEY}\\${name} cannot be read (Windows error ${status})`);
    // The size counts the terminating NUL.
    const text = data.toString('utf16le', 0, Math.max(0, (size[0] as number) - 2));
    if (text !== '') settings[field] = text;
  }
  return settings;
}
