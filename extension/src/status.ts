import type { FaceError, FaceErrorData, HelloResult } from '@posface/protocol';

/** What the popup shows; kept in chrome.storage.session so it survives the worker being stopped. */
export interface ExtensionStatus {
  extension: { id: string; version: string };
  origins: string[];
  hello: HelloResult | null;
  helloAt: number | null;
  lastError: (FaceErrorData & { at: number }) | null;
}

/** Popup → worker messages (chrome.runtime.sendMessage; only from this extension's own pages). */
export type PopupRequest = { type: 'status' } | { type: 'test' };
export type PopupResponse = { ok: true; status: ExtensionStatus } | { ok: false; error: FaceErrorData; status: ExtensionStatus };

export const STATUS_KEY = 'posFaceStatus';

/** Codes that are an answer about the customer, not a problem with the installation. */
const NOT_A_PROBLEM = new Set(['USER_CANCEL', 'BUSY']);

export function recordHello(status: ExtensionStatus, hello: HelloResult, now: number): ExtensionStatus {
  return { ...status, hello, helloAt: now };
}

export function recordError(status: ExtensionStatus, error: FaceError, now: number): ExtensionStatus {
  if (NOT_A_PROBLEM.has(error.code)) return status;
  return { ...status, lastError: { ...error.toJSON(), at: now } };
}
