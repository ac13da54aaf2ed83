import { describe, expect, it } from 'vitest';
import { deadlineSignal, untilAborted } from '../../../shared/core/index.js';

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
