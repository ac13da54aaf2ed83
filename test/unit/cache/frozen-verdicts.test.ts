import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrozenVerdicts } from '../../../shared/cache/frozen-verdicts.js';
import { cachedVerdict } from './verdict-factory.js';

/** Every object and array reachable from `value` is frozen and plain (the prototype JSON.parse gives it). */
function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const plain = Object.getPrototypeOf(value) === (Array.isArray(value) ? Array.prototype : Object.prototype);
  return plain && Object.isFrozen(value) && Object.values(value).every(deeplyFrozen);
}

/** JSON values drawn from a small alphabet, so equal parts (the thing shared) come up often. */
const small = fc.constantFrom('a', 'b', 'allow', '', '__proto__', 'x'.repeat(600));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, small, fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor'), tie('value'), { maxKeys: 4 }),
})).object;

describe('FrozenVerdicts', () => {
  it('each stored form is deep-frozen and equal to its own JSON parse, whatever parts other verdicts share with it', () => {
    fc.assert(
      fc.property(fc.array(json, { minLength: 1, maxLength: 12, size: 'max' }), (values) => {
        const frozen = new FrozenVerdicts();
        const texts = values.map((value) => JSON.stringify(value));
        const stored = texts.map((text) => frozen.freeze(text) as unknown);
        stored.forEach((form, i) => {
          expect(deeplyFrozen(form)).toBe(true);
          expect(JSON.stringify(form)).toBe(texts[i]); // same members, same values, same order
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a "__proto__" member stays a member: sharing never sets a prototype', () => {
    const frozen = new FrozenVerdicts();
    frozen.freeze('{"d":{"polluted":"yes"}}');
    const form = frozen.freeze('{"__proto__":{"polluted":"yes"},"d":{"polluted":"yes"}}') as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
    expect(Object.keys(form)).toEqual(['__proto__', 'd']);
    expect((form as { polluted?: string }).polluted).toBeUndefined();
  });

  it('shares equal parts across verdicts and keeps its table of known parts bounded', () => {
    const frozen = new FrozenVerdicts();
    const forms = Array.from({ length: 20_000 }, (_, i) => {
      const { verdict } = cachedVerdict({ key: { digest: `sha256:${i.toString(16).padStart(64, '0')}` } });
      return frozen.freeze(JSON.stringify(verdict));
    });
    const [first, last] = [forms[0], forms.at(-1)];
    expect(last?.evidence[0]?.signer).toBe(first?.evidence[0]?.signer);
    expect(last?.reasons).toBe(first?.reasons);
    expect(last?.subject).not.toBe(first?.subject);
    expect(last?.subject.digest).toBe(`sha256:${(19_999).toString(16).padStart(64, '0')}`);
    expect(frozen.knownParts).toBeLessThanOrEqual(4_096);
  });
});
