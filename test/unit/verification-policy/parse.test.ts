import { describe, expect, it } from 'vitest';
import {
  fingerprintVerificationPolicy, parseVerificationPolicy, referenceProblems, selectRequirement, validateVerificationPolicy, VerificationPolicyError,
} from '../../../shared/verification-policy/index.js';

const KNOWN = ['notary', 'cosign'];
const valid = {
  version: '1',
  schemes: { cosign: { keys: {} } },
  policies: [
    { name: 'team', registryScopes: ['r.io/team/*'], require: { anyOf: ['notary', 'cosign:release'] } },
    { name: 'exact', registryScopes: ['r.io/team/app'], require: { allOf: ['notary', { scheme: 'cosign', trustRoot: 'release' }] } },
    { name: 'rest', registryScopes: ['*'], require: { atLeast: 1, of: ['notary'] } },
  ],
};

describe('verification policy document', () => {
  it('parses any-of, all-of and N-of-M with string and object items', () => {
    const document = parseVerificationPolicy(JSON.stringify(valid), KNOWN);
    expect(document.policies.map((p) => p.require)).toEqual([
      { mode: 'anyOf', items: [{ scheme: 'notary' }, { scheme: 'cosign', trustRoot: 'release' }] },
      { mode: 'allOf', items: [{ scheme: 'notary' }, { scheme: 'cosign', trustRoot: 'release' }] },
      { mode: 'atLeast', count: 1, items: [{ scheme: 'notary' }] },
    ]);
  });

  it.each([
    ['not JSON', '{', 'JSON_INVALID', ''],
    ['an unknown top-level field', { ...valid, extra: 1 }, 'FIELD_UNKNOWN', 'extra'],
    ['a wrong version', { ...valid, version: '2' }, 'VERSION_UNSUPPORTED', 'version'],
    ['an unknown scheme section', { ...valid, schemes: { pgp: {} } }, 'SCHEME_UNKNOWN', 'schemes.pgp'],
    ['no policies', { ...valid, policies: [] }, 'POLICIES_EMPTY', 'policies'],
    ['an unknown policy field', { ...valid, policies: [{ ...valid.policies[0], level: 'strict' }] }, 'FIELD_UNKNOWN', 'policies[0].level'],
    ['a duplicate name', { ...valid, policies: [valid.policies[0], { ...valid.policies[1], name: 'team' }] }, 'NAME_DUPLICATE', 'policies[1].name'],
    ['an uppercase scope', { ...valid, policies: [{ ...valid.policies[0], registryScopes: ['R.io/team'] }] }, 'SCOPE_NOT_LOWERCASE', 'policies[0].registryScopes[0]'],
    ['a malformed scope', { ...valid, policies: [{ ...valid.policies[0], registryScopes: ['r.io'] }] }, 'SCOPE_INVALID', 'policies[0].registryScopes[0]'],
    ['"*" with other scopes', { ...valid, policies: [{ ...valid.policies[0], registryScopes: ['*', 'r.io/a'] }] }, 'SCOPE_WILDCARD_MIXED', 'policies[0].registryScopes[0]'],
    ['a scope in two policies', { ...valid, policies: [valid.policies[0], { ...valid.policies[1], registryScopes: ['r.io/team/*'] }] }, 'SCOPE_DUPLICATE', 'policies[1].registryScopes'],
    ['two modes', { ...valid, policies: [{ ...valid.policies[0], require: { anyOf: ['notary'], allOf: ['notary'] } }] }, 'REQUIRE_MODE', 'policies[0].require'],
    ['an empty item list', { ...valid, policies: [{ ...valid.policies[0], require: { anyOf: [] } }] }, 'ITEMS_EMPTY', 'policies[0].require.anyOf'],
    ['an unknown scheme item', { ...valid, policies: [{ ...valid.policies[0], require: { anyOf: ['pgp'] } }] }, 'SCHEME_UNKNOWN', 'policies[0].require.anyOf[0]'],
    ['an unknown item field', { ...valid, policies: [{ ...valid.policies[0], require: { anyOf: [{ scheme: 'notary', root: 'x' }] } }] }, 'FIELD_UNKNOWN', 'policies[0].require.anyOf[0].root'],
    ['a duplicate item', { ...valid, policies: [{ ...valid.policies[0], require: { anyOf: ['notary', { scheme: 'notary' }] } }] }, 'ITEM_DUPLICATE', 'policies[0].require.anyOf[1]'],
    ['atLeast over the item count', { ...valid, policies: [{ ...valid.policies[0], require: { atLeast: 3, of: ['notary', 'cosign'] } }] }, 'COUNT_INVALID', 'policies[0].require.atLeast'],
    ['atLeast zero', { ...valid, policies: [{ ...valid.policies[0], require: { atLeast: 0, of: ['notary'] } }] }, 'COUNT_INVALID', 'policies[0].require.atLeast'],
  ])('reports %s once, with its path', (_what, document, code, path) => {
    const problems = validateVerificationPolicy(typeof document === 'string' ? document : JSON.stringify(document), KNOWN);
    expect(problems.map((p) => [p.code, p.path])).toEqual([[code, path]]);
  });

  it('lists every problem at once in one config error', () => {
    const broken = { version: '2', policies: [{ name: '', registryScopes: [], require: { anyOf: ['pgp'] } }] };
    const error = (() => {
      try {
        parseVerificationPolicy(broken, KNOWN);
      } catch (e) {
        return e;
      }
    })() as VerificationPolicyError;
    expect(error).toBeInstanceOf(VerificationPolicyError);
    expect([error.code, error.kind]).toEqual(['ERR_VERIFICATION_POLICY_INVALID', 'config']);
    expect(error.problems.map((p) => p.code)).toEqual(['VERSION_UNSUPPORTED', 'NAME_MISSING', 'SCOPES_EMPTY', 'SCHEME_UNKNOWN']);
  });

  it('rejects trust roots and schemes the built schemes do not have', () => {
    const document = parseVerificationPolicy(valid, KNOWN);
    const schemes = [{ name: 'notary', trustRootNames: () => ['team-policy'] }];
    expect(referenceProblems(document, schemes).map((p) => [p.code, p.path])).toEqual([
      ['SCHEME_NOT_CONFIGURED', 'policies[0].require.anyOf[1]'],
      ['SCHEME_NOT_CONFIGURED', 'policies[1].require.allOf[1]'],
    ]);
    const withCosign = [...schemes, { name: 'cosign', trustRootNames: () => ['other'] }];
    expect(referenceProblems(document, withCosign).map((p) => p.code)).toEqual(['TRUST_ROOT_UNKNOWN', 'TRUST_ROOT_UNKNOWN']);
  });

  it('selects the exact scope over a prefix, a prefix over "*", and nothing when none matches', () => {
    const document = parseVerificationPolicy(valid, KNOWN);
    expect(selectRequirement(document, 'r.io/team/app')?.policyName).toBe('exact');
    expect(selectRequirement(document, 'r.io/team/other')?.policyName).toBe('team');
    expect(selectRequirement(document, 'r.io/elsewhere')?.policyName).toBe('rest');
    expect(selectRequirement({ ...document, policies: document.policies.slice(0, 1) }, 'r.io/elsewhere')).toBeUndefined();
    expect(selectRequirement(undefined, 'r.io/x')?.require).toEqual({ mode: 'anyOf', items: [{ scheme: 'notary' }] });
  });

  it('fingerprints meaning, not formatting', () => {
    const a = parseVerificationPolicy(JSON.stringify(valid), KNOWN);
    const b = parseVerificationPolicy(JSON.stringify(valid, null, 2), KNOWN);
    const c = parseVerificationPolicy({ ...valid, policies: valid.policies.slice(1) }, KNOWN);
    expect(fingerprintVerificationPolicy(a)).toBe(fingerprintVerificationPolicy(b));
    expect(fingerprintVerificationPolicy(a)).not.toBe(fingerprintVerificationPolicy(c));
  });
});
