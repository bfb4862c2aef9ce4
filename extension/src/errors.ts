import { FaceError } from '@posface/protocol';

/**
 * Chrome reports native messaging failures only as `chrome.runtime.lastError.message` texts on the
 * port's disconnect; these are the texts Chromium uses (extensions/browser/api/messaging/native_message_port_host
 * and native_process_launcher).
 */
const LAST_ERROR_CODES = [
  [/native messaging host not found/i, 'HOST_NOT_FOUND', 'The native host com.posface.wxpayface is not installed for this browser: run `pos-face-host install`.'],
  [/forbidden/i, 'HOST_FORBIDDEN', "The native host's manifest does not allow this extension: reinstall the host with this extension's ID."],
  [/native host has exited/i, 'HOST_EXITED', 'The native host stopped (the SDK may have crashed); the next request starts it again.'],
] as const;

/** Maps a lastError text (or its absence) at the native port's disconnect to a FaceError. */
export function hostErrorFromLastError(message: string | undefined): FaceError {
  const text = message ?? 'Native host has exited.';
  for (const [pattern, code, advice] of LAST_ERROR_CODES) {
    if (pattern.test(text)) return new FaceError(code, `${text} ${advice}`, { details: { lastError: text } });
  }
  return new FaceError('HOST_ERROR', `${text} Check the native host's log and run \`pos-face-host doctor\`.`, {
    details: { lastError: text },
  });
}
