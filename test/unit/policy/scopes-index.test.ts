import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectPolicy, type TrustPolicyDocument, type TrustPolicyStatement } from '../../../shared/policy/index.js';

/** The selection as it was before the index: a linear scan (first exact match wins, else the last `*`). */
function linearScan(document: TrustPolicyDocument, repository: string): TrustPolicyStatement | undefined {
  let global: TrustPolicyStatement | undefined;
  for (const statement of document.trustPolicies) {
    if (statement.registryScopes.includes(repository)) return statement;
    if (statement.registryScopes.includes('*')) global = statement;
  }
  return global;
}

const repositories = ['a.io/x', 'a.io/y', 'b.io/x', 'b.io:5000/x/y', 'c.io/z', 'localhost:5000/test', 'a.io/x/y'];
const scope = fc.oneof(fc.constantFrom(...repositories), fc.constant('*'));
const statement = (name: string) =>
  fc.array(scope, { minLength: 1, maxLength: 4 }).map((registryScopes): TrustPolicyStatement => ({
    name, registryScopes, signatureVerification: { level: 'strict' }, trustStores: ['ca:x'], trustedIdentities: ['*'],
  }));
// Deliberately not validated: duplicates and several `*` statements must give the linear scan's answer too.
const documents = fc.integer({ min: 0, max: 8 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => statement(`s${i}`))).map((trustPolicies): TrustPolicyDocument => ({ version: '1.0', trustPolicies })),
);

describe('selectPolicy by index', () => {
  it('gives the same statement as the linear scan for every repository', () => {
    fc.assert(
      fc.property(documents, fc.constantFrom(...repositories), (document, repository) => {
        expect(selectPolicy(document, repository)).toBe(linearScan(document, repository));
        expect(selectPolicy(document, repository)).toBe(linearScan(document, repository)); // from the built index
      }),
      { numRuns: 500 },
    );
  });

  it('notices a statement list that was replaced or grew after the first lookup', () => {
    const document: TrustPolicyDocument = { version: '1.0', trustPolicies: [] };
    expect(selectPolicy(document, 'a.io/x')).toBeUndefined();
    document.trustPolicies.push({ name: 'late', registryScopes: ['a.io/x'], signatureVerification: { level: 'strict' }, trustStores: ['ca:x'], trustedIdentities: ['*'] });
    expect(selectPolicy(document, 'a.io/x')?.name).toBe('late');
    document.trustPolicies = [{ name: 'other', registryScopes: ['*'], signatureVerification: { level: 'strict' }, trustStores: ['ca:x'], trustedIdentities: ['*'] }];
    expect(selectPolicy(document, 'a.io/x')?.name).toBe('other');
  });

  it('1,000 statements: the answer for the last scope and for the wildcard fallback', () => {
    const trustPolicies = Array.from({ length: 1000 }, (_, i): TrustPolicyStatement => ({
      name: `s${i}`, registryScopes: [i === 999 ? '*' : `r.io/repo${i}`], signatureVerification: { level: 'strict' }, trustStores: ['ca:x'], trustedIdentities: ['*'],
    }));
    const document: TrustPolicyDocument = { version: '1.0', trustPolicies };
    expect(selectPolicy(document, 'r.io/repo998')?.name).toBe('s998');
    expect(selectPolicy(document, 'r.io/unknown')?.name).toBe('s999');
  });
});
