import { describe, expect, it } from 'vitest';
import { fingerprintPolicy, parseTrustPolicy } from '../../../shared/policy/index.js';
import { document, statement } from './helpers.js';

describe('fingerprintPolicy', () => {
  const base = parseTrustPolicy(document());

  it('is lowercase sha256 hex and stable across key order and whitespace', () => {
    const reordered = parseTrustPolicy(
      `{"trustPolicies":[{"trustedIdentities":["x509.subject: C=US, ST=WA, O=wabbit-networks.io"],"trustStores":["ca:wabbit"],
        "signatureVerification":{"level":"strict"},"registryScopes":["registry.wabbit-networks.io/net-monitor"],"name":"wabbit"}],
        "version":"1.0"}`,
    );
    expect(fingerprintPolicy(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintPolicy(reordered)).toBe(fingerprintPolicy(base));
  });

  it.each([
    ['level', { signatureVerification: { level: 'audit' } }],
    ['override', { signatureVerification: { level: 'strict', override: { revocation: 'log' } } }],
    ['verifyTimestamp', { signatureVerification: { level: 'strict', verifyTimestamp: 'afterCertExpiry' } }],
    ['trust store', { trustStores: ['ca:other'] }],
    ['identity', { trustedIdentities: ['*'] }],
    ['scope', { registryScopes: ['registry.wabbit-networks.io/other'] }],
    ['name', { name: 'renamed' }],
  ])('changes when the %s changes', (_what, change) => {
    expect(fingerprintPolicy(parseTrustPolicy(document(statement(change))))).not.toBe(fingerprintPolicy(base));
  });

  it('treats an explicit empty override like none (same meaning)', () => {
    const withEmpty = parseTrustPolicy(document(statement({ signatureVerification: { level: 'strict', override: {} } })));
    expect(fingerprintPolicy(withEmpty)).toBe(fingerprintPolicy(base));
  });
});
