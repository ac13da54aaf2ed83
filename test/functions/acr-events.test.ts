import { readFileSync } from 'node:fs';
import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { makeAcrEventsHandler } from '../../functions/acr-events.js';
import type { PushHandler } from '../../shared/verification/index.js';

/** Poison deliveries are dropped with one warning (200 to Event Grid), never thrown (500 → 30 retries). */
describe('acrEvents with poison deliveries', () => {
  const handled: unknown[] = [];
  const push = { handle: async (event: unknown) => void handled.push(event) } as unknown as PushHandler;
  const warnings: unknown[] = [];
  const context = () => new InvocationContext({ invocationId: 'i', functionName: 'acrEvents', logHandler: (level, ...args) => void (level === 'warning' && warnings.push(args)) });
  /** The recorded ACR event with another digest. */
  const event = (digest: string) => {
    const recorded = JSON.parse(readFileSync(new URL('../fixtures/events/eventgrid/image-pushed-tag.json', import.meta.url), 'utf8'))[0];
    recorded.data.target.digest = digest;
    return recorded;
  };

  it.each([
    ['an md5: digest', event(`md5:${'a'.repeat(32)}`)],
    ['a sha384: digest', event(`sha384:${'a'.repeat(96)}`)],
    ['an empty delivery', []],
    ['something that is not an event', 42],
  ])('%s: dropped with one warning, nothing verified', async (_why, body) => {
    warnings.length = 0;
    await expect(makeAcrEventsHandler({ push })(body as never, context())).resolves.toBeUndefined();
    expect(handled).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('a well-formed event is handled (the poison cases above are not dropped for another reason)', async () => {
    await makeAcrEventsHandler({ push })(event(`sha256:${'c'.repeat(64)}`) as never, context());
    expect(handled).toHaveLength(1);
    handled.length = 0;
  });

  it('an inconclusive push still throws so Event Grid retries', async () => {
    const failing = { handle: async () => Promise.reject(Object.assign(new Error('down'), { code: 'ERR_PUSH_INCONCLUSIVE', kind: 'inconclusive' })) } as unknown as PushHandler;
    await expect(makeAcrEventsHandler({ push: failing })(event(`sha256:${'b'.repeat(64)}`) as never, context())).rejects.toThrow('down');
  });
});
