import { AppError } from '../core/index.js';

/**
 * Errors of the admission module. Codes: ERR_ADMISSION_INVALID_REVIEW, ERR_ADMISSION_UNSUPPORTED_VERSION,
 * ERR_GATEKEEPER_INVALID_REQUEST (invalid-input); ERR_UNAUTHORIZED (invalid-input, answered 401);
 * ERR_ADMISSION_AUTH_NOT_CONFIGURED and ERR_CONFIG (config).
 */
export class AdmissionError extends AppError {}
