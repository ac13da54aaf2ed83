import { describe, expect, it } from 'vitest';
import { decodeContinuation, encodeContinuation } from '../../../shared/cache/due-cursor.js';
import { MemoryResultCache } from '../../../shared/cache/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

describe('listDue continuation', () => {
  it('round-trips a position', () => {
    const position = { at: 1_700_000_000_000, key: 'pk rk' };
    expect(decodeContinuation(encodeContinuation(position))).toEqual(position);
  });

  it.each(['not base64 json', Buffer.from('{"at":"x","key":1}').toString('base64url'), Buffer.from('null').toString('base64url')])(
    'rejects %j as invalid input',
    async (continuation) => {
      await expectAppError(() => decodeContinuation(continuation), 'ERR_CACHE_INVALID_CONTINUATION', 'invalid-input');
      await expectAppError(new MemoryResultCache({ maxEntries: 1 }).listDue(new Date(0), 1, continuation), 'ERR_CACHE_INVALID_CONTINUATION');
    },
  );
});
