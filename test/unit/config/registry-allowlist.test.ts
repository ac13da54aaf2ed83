import { describe, expect, it } from 'vitest';
import { registryAllowlist } from '../../../shared/config/index.js';
import type { TrustPolicyDocument } from '../../../shared/policy/index.js';

const policy = { version: '1.0', trustPolicies: [{ name: 'n', registryScopes: ['notation.example/app', '*'], signatureVerification: { level: 'strict' }, trustStores: ['ca:x'], trustedIdentities: ['*'] }] } as TrustPolicyDocument;

describe('default registry allowlist', () => {
  it('holds the registries of the trust policy and of the verification policy scopes (a cosign- or DCT-only scope)', () => {
    const allow = registryAllowlist(policy, undefined, ['cosign.example:5000/team/*', 'DCT.example/app', '*']);
    expect(['notation.example', 'cosign.example:5000', 'dct.example'].map(allow)).toEqual([true, true, true]);
    expect(['other.example', '169.254.169.254', '*'].map(allow)).toEqual([false, false, false]);
  });

  it('is replaced by an explicit TRUSTGATE_ALLOWED_REGISTRIES, scopes notwithstanding', () => {
    const allow = registryAllowlist(policy, ['only.example'], ['cosign.example/team/*']);
    expect(['only.example', 'notation.example', 'cosign.example'].map(allow)).toEqual([true, false, false]);
  });
});
