import type { BridgeStatus, HelloResult, InitParams, UserInfoParams, UserInfoResult } from '@posface/protocol';
import type { PosApi } from './api/pos-api.js';
import type { FaceReportPort } from './face-report.js';
import type { FetchAuthinfo } from './face/index.js';
import type { OfflineData } from './offline/index.js';
import type { ProductLookups } from './offline/product-lookups.js';

/**
 * What the stores need from the outside world, as narrow interfaces. main.ts wires the real ones
 * (HttpClient + PosApi, the extension's FaceClient, AuthinfoSession, the IndexedDB data of offline/); tests
 * wire fakes (and the real offline data over fake-indexeddb).
 */

/** The part of web/src/face's FaceClient the POS uses. */
export interface FaceClientPort {
  rawdata(): Promise<string>;
  detect(): Promise<HelloResult>;
  init(params?: Omit<InitParams, 'cmd'>): Promise<unknown>;
  userInfo(
    params: Omit<UserInfoParams, 'cmd' | 'face_authtype'> & { face_authtype?: UserInfoParams['face_authtype'] },
  ): Promise<UserInfoResult>;
  release(): Promise<unknown>;
  cancel(): Promise<unknown>;
  /** The extension's unasked news about the host; returns an unsubscribe. */
  onHostStatus(listener: (status: BridgeStatus) => void): () => void;
}

export interface AuthinfoStateView {
  status: 'idle' | 'fetching' | 'ready' | 'error';
  /** Page clock, ms. */
  expiresAt: number | null;
  error: unknown;
}

/** The part of web/src/face's AuthinfoSession the POS uses. */
export interface AuthinfoSessionPort {
  readonly state: AuthinfoStateView;
  start(): unknown;
  current(): string | null;
  withAuthinfo<T>(fn: (authinfo: string) => Promise<T>): Promise<T>;
  stop(): void;
}

export type { FetchAuthinfo };

/** PosApi's public methods: tests hand in an object with the same shape. */
export type PosApiPort = { [K in keyof PosApi]: PosApi[K] };

export interface Services {
  api: PosApiPort;
  face: FaceClientPort;
  /** The face report to the back office (FaceReporter). */
  report: FaceReportPort;
  createAuthinfoSession(fetchAuthinfo: FetchAuthinfo, onChange: () => void): AuthinfoSessionPort;
  /** What the till keeps in IndexedDB to sell while the server is unreachable. */
  offline: Omit<OfflineData, 'db'>;
  /** Products from the server, or from the kept catalogue while it cannot be reached. */
  products: ProductLookups;
}

let current: Services | null = null;

export function setServices(services: Services): void {
  current = services;
}

export function services(): Services {
  if (!current) throw new Error('services() used before setServices(): main.ts (or the test) must wire them first');
  return current;
}
