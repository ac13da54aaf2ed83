import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../shared/core/index.js';

describe('SingleFlight', () => {
  it('shares one call between concurrent callers and forgets it afterwards', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    const work = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return calls;
    };
    const [a, b] = await Promise.all([flight.run('k', work), flight.run('k', work)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
    expect(flight.size).toBe(0);
    await flight.run('k', work);
    expect(calls).toBe(2);
  });

  it('does not keep a failure', async () => {
    const flight = new SingleFlight<number>();
    await expect(flight.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(flight.run('k', () => Promise.resolve(7))).resolves.toBe(7);
  });
});
