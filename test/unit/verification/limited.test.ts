import { describe, expect, it } from 'vitest';
import { limitVerifications } from '../../../shared/verification/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

class SlowService {
  running = 0;
  peak = 0;
  forgotten: string[] = [];
  async verify(reference: string, _options?: { signal?: AbortSignal }): Promise<string> {
    this.peak = Math.max(this.peak, ++this.running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.running--;
    return reference;
  }
  forgetDigest(digest: string): void {
    this.forgotten.push(digest);
  }
}

describe('limitVerifications: a per-instance concurrency limit', () => {
  it('runs at most `concurrency` verifications at once and answers every caller in order', async () => {
    const inner = new SlowService();
    const limited = limitVerifications(inner, { concurrency: 3 });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => limited.verify(`ref${i}`)));
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => `ref${i}`));
    expect(inner.peak).toBe(3);
  });

  it('refuses at once past the queue (inconclusive ERR_VERIFICATION_BUSY), and a waiter whose signal aborts leaves', async () => {
    const inner = new SlowService();
    const limited = limitVerifications(inner, { concurrency: 1, maxQueue: 1 });
    const running = limited.verify('a');
    const controller = new AbortController();
    const waiting = limited.verify('b', { signal: controller.signal });
    await expectAppError(limited.verify('c'), 'ERR_VERIFICATION_BUSY', 'inconclusive');
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(await running).toBe('a');
    expect(await limited.verify('d')).toBe('d');
  });

  it('passes every other member through to the service', () => {
    const inner = new SlowService();
    limitVerifications(inner).forgetDigest('sha256:x');
    expect(inner.forgotten).toEqual(['sha256:x']);
  });
});
