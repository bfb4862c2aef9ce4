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
  pos-face-host --version | help

See native-host/README.md.`;
