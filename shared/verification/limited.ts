import { AppError, Semaphore, SemaphoreError } from '../core/index.js';

/** The shape limited here: anything with `verify(reference, options)` that takes an abort signal. */
export interface Verifies<V> {
  verify(reference: string, options?: { signal?: AbortSignal }): Promise<V>;
}

export interface VerificationLimits {
  /** Optional. Verifications running at once in this instance. Default: 32. */
  concurrency?: number;
  /** Optional. Verifications waiting for a slot; more fail at once with ERR_VERIFICATION_BUSY (inconclusive). Default: 1024. */
  maxQueue?: number;
}

export const DEFAULT_VERIFICATION_LIMITS = { concurrency: 32, maxQueue: 1024 } as const;

export class VerificationBusyError extends AppError {}

/**
 * A per-instance concurrency limit around a verification service: at most `concurrency` verifications run at once
 * (across all requests and surfaces), the rest wait in FIFO order until their caller's signal aborts. Every other
 * member of the service (forgetDigest, …) passes through unchanged.
 */
export function limitVerifications<S extends Verifies<unknown>>(service: S, limits: VerificationLimits = {}): S {
  const slots = new Semaphore(limits.concurrency ?? DEFAULT_VERIFICATION_LIMITS.concurrency, limits.maxQueue ?? DEFAULT_VERIFICATION_LIMITS.maxQueue);
  const verify: S['verify'] = async (reference, options) => {
    let release: () => void;
    try {
      release = await slots.acquire(options?.signal);
    } catch (error) {
      if (error instanceof SemaphoreError) {
        throw new VerificationBusyError('ERR_VERIFICATION_BUSY', 'inconclusive', 'too many verifications in progress on this instance; retry shortly', { cause: error });
      }
      throw error;
    }
    try {
      return await service.verify(reference, options);
    } finally {
      release();
    }
  };
  return new Proxy(service, {
    get(target, property, receiver) {
      if (property === 'verify') return verify;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
