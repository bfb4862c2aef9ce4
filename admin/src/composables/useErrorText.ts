import { FaceError } from '@posface/protocol';
import { useI18n } from 'vue-i18n';

const KNOWN = ['UNAUTHORIZED', 'FORBIDDEN', 'CSRF_REJECTED', 'RATE_LIMITED', 'NETWORK_ERROR', 'CONFLICT', 'NOT_FOUND', 'INVALID_REQUEST', 'POINTS_INSUFFICIENT'] as const;

/** A failure in the staff's language: the code picks the sentence, the server's message adds the detail. */
export function useErrorText() {
  const { t } = useI18n();
  return (error: unknown): string => {
    const fe = FaceError.wrap(error, 'INTERNAL_ERROR');
    const code = (KNOWN as readonly string[]).includes(fe.code) ? fe.code : 'other';
    return t(`errors.${code}`, { message: fe.message });
  };
}
