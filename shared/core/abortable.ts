import { setMaxListeners } from 'node:events';

/**
 * Waits for a shared promise but stops waiting when this caller's signal aborts (rejecting with the signal's reason).
 * The shared work goes on for the other callers: one caller's deadline must not fail a flight everyone waits on.
 */
export function untilAborted<T>(shared: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waiters one shared deadline may have at once (a Gatekeeper request: up to 256 keys, each verification several waits). */
const MAX_DEADLINE_WAITERS = 4096;

/**
 * One deadline shared by every verification of a request (REST, admission, Gatekeeper, an Event Grid delivery): many
 * waiters listen to it at once by design, so Node's "possible leak" warning at 10 listeners does not apply.
 */
export function deadlineSignal(ms: number): AbortSignal {
  return new Deadline(ms).signal;
}

/**
 * A request's deadline whose AbortSignal (a timer, ~10 µs to make) is made only when something has to wait for it:
 * a warm admission answered from memory never pays for one. The clock starts at construction; the signal aborts
 * with a TimeoutError at the same instant, however late it is first asked for. dispose() stops the timer.
 */
export class Deadline {
  private readonly endsAt: number;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.endsAt = performance.now() + ms;
  }

  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = (this.controller = new AbortController());
    setMaxListeners(MAX_DEADLINE_WAITERS, controller.signal);
    const fire = () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    const remaining = this.endsAt - performance.now();
    if (remaining <= 0) fire();
    else this.timer = setTimeout(fire, remaining).unref();
    return controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
