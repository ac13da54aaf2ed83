import { expect } from 'vitest';
import { AppError } from '../../shared/core/index.js';

/** Asserts class + code (never messages), the way the whole suite checks errors. */
export async function expectAppError(work: Promise<unknown> | (() => unknown), code: string, kind?: AppError['kind']): Promise<AppError> {
  let caught: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code} to be thrown`).toBeInstanceOf(AppError);
  const appError = caught as AppError;
  expect(appError.code).toBe(code);
  if (kind) expect(appError.kind).toBe(kind);
  return appError;
}
