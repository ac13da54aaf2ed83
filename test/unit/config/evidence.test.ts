import { describe, expect, it } from 'vitest';
import { fixedClock, memoryLogger } from '../../../shared/core/index.js';
import { buildEvidence } from '../../../shared/config/evidence-source.js';
import { schemeFactories } from '../../../shared/config/schemes.js';
import type { TrustPolicyDocument } from '../../../shared/policy/index.js';

const trustPolicy = {
  version: '1.0',
  trustPolicies: [{ name: 'team', registryScopes: ['*'], signatureVerification: { level: 'strict' }, trustStores: ['ca:team'], trustedIdentities: ['*'] }],
} as TrustPolicyDocument;
const factories = schemeFactories({ trustPolicy, trustStore: { getCertificates: async () => [], fingerprint: async () => 's' }, revocation: { checkChain: async () => ({ status: 'good' }) as never } });
const deps = { clock: fixedClock(new Date('2026-01-01T00:00:00Z')), logger: memoryLogger(), fetch: async () => new Response('') };

describe('TRUSTGATE_VERIFICATION_POLICY', () => {
  it('without the setting builds Notary only and no verification policy (today\'s behaviour)', async () => {
    const setup = await buildEvidence(undefined, factories, deps);
    expect(setup.schemes.map((s) => s.name)).toEqual(['notary']);
    expect(setup.verificationPolicy).toBeUndefined();
  });

  it('reads an inline document, checks trust roots against the schemes, and fingerprints it', async () => {
    const json = JSON.stringify({ version: '1', policies: [{ name: 'p', registryScopes: ['*'], require: { anyOf: ['notary:team'] } }] });
    const setup = await buildEvidence({ kind: 'inline', json }, factories, deps);
    expect(setup.verificationPolicy?.document.policies[0]?.name).toBe('p');
    expect(setup.verificationPolicy?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fails start-up with one config error naming the setting and listing every problem by path', async () => {
    const json = JSON.stringify({ version: '1', schemes: { notary: { extra: true } }, policies: [{ name: 'p', registryScopes: ['*'], require: { anyOf: ['notary:nope'] } }] });
    const error = (await buildEvidence({ kind: 'inline', json }, factories, deps).catch((e: unknown) => e)) as { code: string; message: string; problems: Array<{ path: string }> };
    expect(error.code).toBe('ERR_CONFIG');
    expect(error.message).toContain('TRUSTGATE_VERIFICATION_POLICY');
    expect(error.problems.map((p) => p.path)).toEqual(['schemes.notary', 'policies[0].require.anyOf[0]']);
  });
});
