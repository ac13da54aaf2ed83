import { AppError } from './errors.js';

export class SemaphoreError extends AppError {}

/**
 * At most `limit` holders at a time; others wait in FIFO order. A waiter whose signal aborts leaves the queue; past
 * `maxQueue` waiters, acquire fails at once with ERR_BUSY (inconclusive) rather than piling up work nobody will await.
 */
export class Semaphore {
  private active = 0;
  private readonly queue: Array<{ grant: () => void; fail: (error: unknown) => void }> = [];

  constructor(
    private readonly limit: number,
    private readonly maxQueue: number = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('Semaphore limit must be a positive integer');
  }

  get inUse(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function (call it exactly once). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new SemaphoreError('ERR_BUSY', 'inconclusive', `too much work in flight (${this.active} running, ${this.queue.length} waiting)`));
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
        fail: reject,
      };
      const onAbort = (): void => {
        const index = this.queue.indexOf(entry);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
    });
  }

  /** Runs `work` holding one slot. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next.grant();
      else this.active--;
    };
  }
}
