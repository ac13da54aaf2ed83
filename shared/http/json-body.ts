import type { z } from 'zod';
import { AppError, readBodyLimited, type BodySource } from '../core/index.js';

export class HttpInputError extends AppError {}

export interface JsonBodyOptions<T extends z.ZodType> {
  /** Required. The largest body accepted, in bytes. */
  maxBytes: number;
  /** Required. The schema the JSON must satisfy (use strict objects: unknown fields are errors). */
  schema: T;
  /** Optional. Code used for schema violations. Default: ERR_INVALID_REQUEST. */
  invalidCode?: string;
}

/**
 * Reads a size-capped JSON body and validates it. Every failure is an HttpInputError (invalid-input)
 * with a stable code: ERR_BODY_TOO_LARGE, ERR_UNSUPPORTED_MEDIA_TYPE, ERR_INVALID_JSON, or the schema code.
 */
export async function readJsonBody<T extends z.ZodType>(request: BodySource, options: JsonBodyOptions<T>): Promise<z.infer<T>> {
  // Required, not assumed: a body sent without a type (curl -d sends form encoding) is refused before it is read.
  const contentType = request.headers.get('content-type');
  if (contentType === null || !/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new HttpInputError('ERR_UNSUPPORTED_MEDIA_TYPE', 'invalid-input', 'content-type must be application/json');
  }
  let bytes: Buffer;
  try {
    bytes = await readBodyLimited(request, options.maxBytes);
  } catch (error) {
    if (error instanceof AppError && error.code === 'ERR_BODY_TOO_LARGE') {
      throw new HttpInputError('ERR_BODY_TOO_LARGE', 'invalid-input', `request body exceeds ${options.maxBytes} bytes`);
    }
    throw new HttpInputError('ERR_INVALID_REQUEST', 'invalid-input', 'request body could not be read', { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpInputError('ERR_INVALID_JSON', 'invalid-input', 'request body is not valid JSON');
  }
  const result = options.schema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    throw new HttpInputError(options.invalidCode ?? 'ERR_INVALID_REQUEST', 'invalid-input', issues.join('; '), { details: { issues } });
  }
  return result.data;
}
