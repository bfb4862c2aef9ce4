import type { Page } from 'playwright-core';

type FaceMethod = 'detect' | 'hello' | 'init' | 'rawdata' | 'userInfo' | 'release' | 'cancel';
type FaceOutcome<T = unknown> = { ok: true; value: T } | { ok: false; code: string; message: string };

/**
 * Calls `window.face[method](arg)` in the test page (the real FaceClient) and returns the outcome
 * instead of throwing, so tests can assert error codes. Calls may overlap (e.g. cancel during userInfo).
 */
export function faceCall<T = unknown>(page: Page, method: FaceMethod, arg?: unknown): Promise<FaceOutcome<T>> {
  return page.evaluate(
    async ([m, a]) => {
      const face = (window as unknown as { face: Record<string, (arg?: unknown) => Promise<unknown>> }).face;
      try {
        return { ok: true as const, value: (await face[m as string]!(a)) as T };
      } catch (error) {
        const e = error as { code?: string; message?: string };
        return { ok: false as const, code: e.code ?? 'NOT_A_FACE_ERROR', message: e.message ?? String(error) };
      }
    },
    [method, arg] as const,
  );
}
