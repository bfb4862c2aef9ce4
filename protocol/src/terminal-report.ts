/**
 * What a till reports about itself (POST /api/v1/terminal/report): its versions, and the outcome of each
 * face step — never an openid. The back office's terminal list and face report are built from it.
 */

/**
 * `member_found` and `not_member` are a recognised face; `enrolled` is a recognised face enrolled in the
 * same step; `cancelled` (Esc or the customer) and `failed` (any error) are not recognised.
 */
export const FACE_OUTCOMES = ['member_found', 'not_member', 'enrolled', 'cancelled', 'failed'] as const;
export type FaceOutcome = (typeof FACE_OUTCOMES)[number];
/** The recognised ones. */
export const RECOGNISED_OUTCOMES: readonly FaceOutcome[] = ['member_found', 'not_member', 'enrolled'];

export const TERMINAL_REPORT_PATH = '/terminal/report';
/** Events one report may carry (a till that was offline sends what it kept, in batches). */
export const FACE_EVENTS_PER_REPORT_MAX = 100;
