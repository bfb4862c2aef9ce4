import { ErrorBody } from '@posface/protocol/api';

/** The error responses every API route may give. */
export const ERROR_RESPONSES = { '4xx': ErrorBody, '5xx': ErrorBody } as const;
