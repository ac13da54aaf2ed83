import { describe, expect, it } from 'vitest';
import { Deadline, deadlineSignal, untilAborted } from '../../../shared/core/index.js';

describe('deadlineSignal: one deadline many verifications wait on', () => {
  it('takes many waiters without a "possible memory leak" warning, and they all end when it fires', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const signal = deadlineSignal(20);
      const waits = Array.from({ length: 64 }, () => untilAborted(new Promise<never>(() => undefined), signal).catch(() => 'ended'));
      expect(await Promise.all(waits)).toEqual(Array(64).fill('ended'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('Deadline: the signal is made only when asked for', () => {
  it('aborts with a TimeoutError at the instant set when it was made, however late the signal is asked for', async () => {
    const deadline = new Deadline(30);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const signal = deadline.signal;
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe('TimeoutError');
  });

  it('fires later when asked early, and every ask gets the same signal', async () => {
    const deadline = new Deadline(20);
    const signal = deadline.signal;
    expect(signal.aborted).toBe(false);
    expect(deadline.signal).toBe(signal);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    expect((signal.reason as Error).name).toBe('TimeoutError');
  });

  it('dispose stops the timer: the signal never fires', async () => {
    const deadline = new Deadline(10);
    const signal = deadline.signal;
    deadline.dispose();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(signal.aborted).toBe(false);
  });
});
