/** The only source of "now" in shared/: pure functions take `at: Date`, services take a Clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date(Date.now()) };

/** A clock pinned to one instant (tests, conformance cases, re-checks "as of"). */
export function fixedClock(at: Date | string): Clock {
  const instant = typeof at === 'string' ? new Date(at) : at;
  return { now: () => new Date(instant.getTime()) };
}

/** A clock tests can move forward. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }
}
