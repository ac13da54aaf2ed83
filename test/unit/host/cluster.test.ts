import { describe, expect, it } from 'vitest';
import { LOCAL_WORKERS_SETTING, localWorkerCount } from '../../../host/cluster.js';

describe('localWorkerCount (TRUSTGATE_LOCAL_WORKERS)', () => {
  it('defaults to one worker per core, takes a number, and 1 means a single process', () => {
    expect(localWorkerCount({}, 2)).toBe(2);
    expect(localWorkerCount({ [LOCAL_WORKERS_SETTING]: 'auto' }, 8)).toBe(8);
    expect(localWorkerCount({ [LOCAL_WORKERS_SETTING]: ' 3 ' }, 2)).toBe(3);
    expect(localWorkerCount({ [LOCAL_WORKERS_SETTING]: '1' }, 2)).toBe(1);
    expect(localWorkerCount({}, 0)).toBe(1);
  });

  it.each(['0', '-1', '1.5', 'many', '65'])('refuses %s', (value) => {
    expect(() => localWorkerCount({ [LOCAL_WORKERS_SETTING]: value }, 2)).toThrow(RangeError);
  });
});
