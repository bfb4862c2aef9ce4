import { FaceError } from './errors.js';

/** Small helpers the validators share; every failure is INVALID_REQUEST naming the offending path. */

export type Json = Record<string, unknown>;

export function invalid(path: string, problem: string): FaceError {
  return new FaceError('INVALID_REQUEST', `${path}: ${problem}`, { details: { field: path } });
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function asObject(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(path, `must be an object, got ${describe(value)}`);
  }
  return value as Json;
}

export function asString(value: unknown, path: string, maxLength?: number): string {
  if (typeof value !== 'string') throw invalid(path, `must be a string, got ${describe(value)}`);
  if (maxLength !== undefined && value.length > maxLength) {
    throw invalid(path, `must be at most ${maxLength} characters, got ${value.length}`);
  }
  return value;
}

/** Request ids: short printable strings chosen by the caller. */
const MAX_ID_LENGTH = 64;

/** True for a value asId() accepts: an error about a message can be answered under this id. */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

export function asId(value: unknown, path = 'id'): string {
  const id = asString(value, path, MAX_ID_LENGTH);
  if (id.length === 0) throw invalid(path, 'must not be empty');
  return id;
}

export function rejectUnknownKeys(obj: Json, allowed: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) throw invalid(path === '' ? key : `${path}.${key}`, 'is not a known field');
  }
}
