import type { HttpResponseInit } from '@azure/functions';
import { isAppError, type AppError, type ErrorKind } from '../core/index.js';

/** RFC 9457 problem details; `code` is the stable ERR_* string clients branch on. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [extension: string]: unknown;
}

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  'invalid-input': 400,
  'verification-failed': 422,
  inconclusive: 503,
  config: 500,
  internal: 500,
};

export function problemResponse(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): HttpResponseInit {
  const body: ProblemDetails = { type: 'about:blank', title: titleFor(status), status, code, detail, ...extensions };
  return { status, headers: { 'content-type': 'application/problem+json' }, jsonBody: body };
}

/**
 * The one place where an error becomes an HTTP answer. Internal errors never leak their message:
 * the caller logs them with the invocation id and the client gets a generic detail.
 */
export function errorResponse(error: unknown): HttpResponseInit {
  if (!isAppError(error)) return problemResponse(500, 'ERR_INTERNAL', 'internal error');
  const status = statusFor(error);
  const detail = error.kind === 'internal' ? 'internal error' : error.message;
  const problems = (error as AppError & { problems?: unknown }).problems;
  return problemResponse(status, error.code, detail, problems === undefined ? {} : { problems });
}

function statusFor(error: AppError): number {
  if (error.code === 'ERR_UNAUTHORIZED') return 401;
  if (error.code === 'ERR_BODY_TOO_LARGE') return 413;
  if (error.code === 'ERR_UNSUPPORTED_MEDIA_TYPE') return 415;
  return STATUS_BY_KIND[error.kind];
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    404: 'Not Found',
    405: 'Method Not Allowed',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return titles[status] ?? 'Error';
}
