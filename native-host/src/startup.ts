import { loadConfigOrDefaults, type HostConfig } from './config.js';
import { openFrameChannel, type FrameChannel } from './framing.js';
import { errorFields, Logger } from './log.js';
import { loadSdk, type SdkState } from './sdk-loader.js';
import { HOST_VERSION } from './version.js';

/** What Chrome passes: the caller's origin first, and `--parent-window=<hwnd>` on Windows. */
function readChromeArgs(args: readonly string[]): { origin: string | null; parentWindow: string | null } {
  const origin = args.find((arg) => arg.startsWith('chrome-extension://')) ?? null;
  const parent = args.find((arg) => arg.startsWith('--parent-window=')) ?? null;
  return { origin, parentWindow: parent === null ? null : parent.slice('--parent-window='.length) };
}

/** What the host runs on, ready before it reads its first request. */
export interface StartedHost {
  config: HostConfig;
  log: Logger;
  channel: FrameChannel;
  sdk: SdkState;
}

/**
 * Reads the configuration, opens the log and the protocol channel, and loads the SDK. The SDK loads
 * before the first request is read: `hello` reports whether it loaded (the page offers the face
 * button on that), so the first answer waits for the load rather than guess.
 */
export function startHost(args: readonly string[]): StartedHost {
  const { config, problem } = loadConfigOrDefaults({ argv: args });
  const log = new Logger(config.log);
  const chrome = readChromeArgs(args);
  log.info('host start', {
    // Since the process started (Node's own start-up and loading the host): for judging cold starts.
    startupMs: Math.round(performance.now()),
    version: HOST_VERSION,
    node: process.version,
    arch: process.arch,
    origin: chrome.origin,
    parentWindow: chrome.parentWindow,
    configFile: config.configFile,
    sdkPath: config.sdkPath,
    sdkPathSource: config.sdkPathSource,
    timeouts: config.timeouts,
  });

  try {
    // Before the SDK loads: a DLL may print as soon as it is loaded.
    const loading = performance.now();
    const channel = openFrameChannel();
    if (!channel.guarded) log.warn('stdout not fully guarded against native prints', { problems: channel.problems });
    const sdk = loadSdk(config, problem);
    if (sdk.status.loaded) log.info('sdk loaded', { path: sdk.status.path, ms: Math.round(performance.now() - loading) });
    else log.error('sdk unavailable', { path: sdk.status.path, reason: sdk.status.error });
    return { config, log, channel, sdk };
  } catch (error) {
    log.error('start failed', errorFields(error));
    log.flush();
    throw error;
  }
}
