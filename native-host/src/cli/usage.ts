import { HOST_NAME } from '@posface/protocol';

export const USAGE = `pos-face-host — the POS Face native messaging host (${HOST_NAME})

Chrome starts it with the caller's origin (chrome-extension://ID/) and talks frames over stdio.
Options in host mode: --log-stderr (also log to stderr).

IT commands:
  pos-face-host install   --extension-id ID [--browser chrome|chromium|edge|all] [--level user|system]
                          [--user-data-dir DIR] [--env KEY=VALUE]... [--node PATH] [--dry-run]
  pos-face-host uninstall [--browser …] [--level user|system] [--user-data-dir DIR] [--dry-run]
  pos-face-host doctor    [--browser …] [--level user|system] [--user-data-dir DIR] [--extension-id ID]
                          [--time-url URL] [--no-init] [--no-clock]
  pos-face-host --version | help [COMMAND] | COMMAND --help

See native-host/README.md.`;

const BROWSER = '  --browser chrome|chromium|edge|all   which browsers (repeatable or comma-separated; default all)';
const LEVEL = '  --level user|system                  this user (default) or the whole machine (Administrator / root)';
const USER_DATA_DIR = '  --user-data-dir DIR                  a browser profile folder instead (a throwaway profile: tests, demo)';
const DRY_RUN = '  --dry-run                            print what would be done, change nothing';

/** `pos-face-host COMMAND --help` (and `help COMMAND`): what the command does and each of its options. */
export const COMMAND_USAGE: Readonly<Record<'install' | 'uninstall' | 'doctor', string>> = {
  install: `pos-face-host install --extension-id ID [options]

Registers the host with the browsers: writes the host manifest and its launcher, and on Windows the
registry key that points at the manifest.

  --extension-id ID                    the POS Face extension's id, 32 letters a–p (required, repeatable)
${BROWSER}
${LEVEL}
${USER_DATA_DIR}
  --env KEY=VALUE                      an environment variable baked into the launcher (repeatable),
                                       e.g. POSFACE_SDK_PATH=C:\\WxpayFace\\WxpayFaceSDK.dll
  --node PATH                          the Node that runs the host (default: the one running this command)
${DRY_RUN}`,
  uninstall: `pos-face-host uninstall [options]

Removes what install wrote (a manifest that is not ours is left alone). Nothing left to remove is not an error.

${BROWSER}
${LEVEL}
${USER_DATA_DIR}
${DRY_RUN}`,
  doctor: `pos-face-host doctor [options]

Checks an installation the way Chrome will use it and says what to fix; exits 1 when anything fails.
It reads each manifest and launcher, starts the host through the launcher, and checks hello, the DLL's
bitness, that the SDK loads, that initWxpayface answers and the clock.

${BROWSER}
${LEVEL}
${USER_DATA_DIR}
  --extension-id ID                    also check that the manifests allow this extension
  --time-url URL                       where to read the time from (default https://payapp.weixin.qq.com/)
  --no-init                            do not call initWxpayface
  --no-clock                           do not check the clock`,
};

/** The usage of `command`, or null for a command without its own. */
export function commandUsage(command: string | undefined): string | null {
  return command !== undefined && Object.hasOwn(COMMAND_USAGE, command) ? COMMAND_USAGE[command as keyof typeof COMMAND_USAGE] : null;
}
