/**
 * Conformance corpus (test/fixtures/policy, see ATTRIBUTION.md): every outcome the corpus states about
 * policy documents, registry scopes and levels. Deviations (stricter answers) are named in the test titles.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LEVEL_TABLE,
  parseBlobTrustPolicy,
  parseTrustPolicy,
  registryScopeFormat,
  resolveLevel,
  selectPolicy,
  selectPolicyForReference,
  validateTrustPolicy,
} from '../../../shared/policy/index.js';
import type { SignatureVerification } from '../../../shared/policy/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { codes, document, statement } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/policy');
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as T;
const readText = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');

interface PolicyCase {
  id: string;
  reference: string;
  policy?: string;
  expect: { result: string; failedCheck?: string; errorContains?: string };
}
const cases = readJson<{ cases: PolicyCase[] }>('policy-cases.json').cases;

/** The problem code each corpus policy-invalid case must produce (the reference's error, in our codes). */
const EXPECTED_CODE: Record<string, string> = {
  'e2e-valid/override-integrity': 'OVERRIDE_INTEGRITY',
  'policy-invalid/unset_trust_store': 'TRUST_MISSING',
  'policy-invalid/malformed_trust_store': 'TRUST_STORE_NAME_INVALID',
  'policy-invalid/wildcard_trust_store': 'TRUST_STORE_MALFORMED',
  'policy-invalid/unset_trusted_identity': 'TRUST_MISSING',
  'policy-invalid/malformed_trusted_identity': 'IDENTITY_SEPARATOR_MISSING',
  'policy-invalid/empty_trusted_identity': 'IDENTITY_EMPTY',
  'policy-invalid/overlapped_trusted_identity': 'IDENTITIES_OVERLAP',
  'policy-invalid/wildcard_plus_other_trusted_identity': 'IDENTITY_WILDCARD_NOT_ALONE',
  'policy-invalid/missing_organization_trusted_identity': 'IDENTITY_DN_MANDATORY_MISSING',
  'policy-invalid/missing_state_trusted_identity': 'IDENTITY_DN_MANDATORY_MISSING',
  'policy-invalid/missing_country_trusted_identity': 'IDENTITY_DN_MANDATORY_MISSING',
  'policy-invalid/empty_registry_scope': 'SCOPES_EMPTY',
  'policy-invalid/malformed_registry_scope': 'SCOPE_INVALID',
  'policy-invalid/overlapped_registry_scope': 'SCOPE_DUPLICATE',
  'policy-invalid/wildcard_plus_other_registry_scope': 'SCOPE_WILDCARD_NOT_ALONE',
  'policy-invalid/multi_statements_with_the_same_registry_scope': 'SCOPE_DUPLICATE',
  'policy-invalid/multi_statements_with_the_same_name': 'NAME_DUPLICATE',
  'policy-invalid/multi_statements_with_multi_wildcard_registry_scope': 'SCOPE_GLOBAL_MULTIPLE',
  'policy-invalid/invalid_format': 'JSON_INVALID',
};

describe('cases.json: policy-invalid', () => {
  const invalid = cases.filter((c) => c.expect.result === 'policy-invalid');
  it('covers every policy-invalid case of the corpus', () => {
    expect(invalid.map((c) => c.id).sort()).toEqual(Object.keys(EXPECTED_CODE).sort());
  });
  it.each(invalid.map((c) => [c.id, c] as const))('%s', (id, c) => {
    expect(codes(validateTrustPolicy(readText(c.policy!)))).toContain(EXPECTED_CODE[id]);
  });
});

describe('cases.json: policy selection and skip', () => {
  it.each(cases.filter((c) => c.expect.failedCheck === 'policy-selection').map((c) => [c.id, c] as const))(
    '%s selects no statement',
    (_id, c) => {
      const doc = parseTrustPolicy(readText(c.policy!));
      expect(selectPolicy(doc, c.reference.slice(0, c.reference.lastIndexOf('@')))).toBeUndefined();
    },
  );
  it.each(cases.filter((c) => c.policy?.endsWith('skip_trustpolicy.json')).map((c) => [c.id, c] as const))(
    '%s: DEVIATION — the corpus expects "skipped"; skip with the global scope is invalid per spec, so trustgate refuses the policy',
    (_id, c) => {
      expect(c.expect.result).toBe('skipped');
      expect(codes(validateTrustPolicy(readText(c.policy!)))).toEqual(['SKIP_GLOBAL']);
    },
  );
});

describe('e2e trust policies', () => {
  const files = readdirSync(join(FIXTURES, 'e2e/trust-policies')).filter((f) => f.endsWith('.json'));
  const invalidFiles = new Set(
    cases.filter((c) => c.expect.result === 'policy-invalid').map((c) => c.policy!.replace('e2e/trust-policies/', '')),
  );
  invalidFiles.add('skip_trustpolicy.json'); // deviation above
  invalidFiles.add('blob_trust_policy.json'); // a blob document, not an OCI one
  const valid = files.filter((f) => !invalidFiles.has(f));

  it.each(valid)('%s is a valid OCI policy', (file) => {
    expect(validateTrustPolicy(readText(`e2e/trust-policies/${file}`))).toEqual([]);
  });

  it('overlapped_trust_store_trustpolicy.json: a duplicated store is accepted', () => {
    expect(validateTrustPolicy(readText('e2e/trust-policies/overlapped_trust_store_trustpolicy.json'))).toEqual([]);
  });

  it('multi_statements_with_wildcard: the exact scope beats the global statement', () => {
    const doc = parseTrustPolicy(readText('e2e/trust-policies/multi_statements_with_wildcard_registry_scope_trustpolicy.json'));
    const exact = doc.trustPolicies.find((s) => !s.registryScopes.includes('*'))!;
    expect(selectPolicy(doc, exact.registryScopes[0]!)).toBe(exact);
    expect(selectPolicy(doc, 'other.io/repo')?.registryScopes).toEqual(['*']);
  });

  it('blob_trust_policy.json: DEVIATION — its skip statement is fine, the document is a valid blob policy', () => {
    const doc = parseBlobTrustPolicy(readText('e2e/trust-policies/blob_trust_policy.json'));
    expect(doc.trustPolicies.map((s) => s.name)).toEqual(['wabbit-networks-policy', 'skip-verification-policy', 'global-verification-policy']);
  });

  it('blob/trustpolicy.blob.json is a valid blob policy', () => {
    expect(parseBlobTrustPolicy(readText('e2e/trust-policies/blob/trustpolicy.blob.json')).trustPolicies).toHaveLength(3);
  });

  it.each(['notation-go-dummy.oci.json', 'notation-go-timestamp.oci.json', 'notation-go-plugin-version.oci.json'])('derived %s is a valid OCI policy', (file) => {
    expect(validateTrustPolicy(readText(`derived/${file}`))).toEqual([]);
  });

  it('derived notation-go-blob.json is a valid blob policy', () => {
    expect(() => parseBlobTrustPolicy(readText('derived/notation-go-blob.json'))).not.toThrow();
  });

  it.each([
    ['override_strict_trustpolicy.json', { integrity: 'enforce', authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' }],
    ['override_permissive_trustpolicy.json', { integrity: 'enforce', authenticity: 'log', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' }],
    ['override_audit_trustpolicy.json', { integrity: 'enforce', authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' }],
    ['audit_trustpolicy.json', LEVEL_TABLE.audit],
    ['permissive_trustpolicy.json', LEVEL_TABLE.permissive],
  ])('%s resolves to the stated actions', (file, actions) => {
    const doc = parseTrustPolicy(readText(`e2e/trust-policies/${file}`));
    expect(resolveLevel(doc.trustPolicies[0]!.signatureVerification).actions).toEqual(actions);
  });

  it.each([
    ['timestamp_after_cert_expiry_trustpolicy.json', 'afterCertExpiry'],
    ['timestamp_trustpolicy.json', 'always'],
    ['trustpolicy.json', 'always'],
  ])('%s resolves verifyTimestamp %s', (file, option) => {
    const doc = parseTrustPolicy(readText(`e2e/trust-policies/${file}`));
    expect(resolveLevel(doc.trustPolicies[0]!.signatureVerification).verifyTimestamp).toBe(option);
  });
});

describe('vectors/registry-scopes.json', () => {
  interface Vectors {
    validScopes: string[];
    invalidScopes: { values: string[] };
    invalidWildcardScopes: { values: string[] };
    invalidArtifactReferences: { values: string[] };
    selection: Array<{ policyScopes: string[][]; reference: string; selects: number | null }>;
  }
  const v = readJson<Vectors>('vectors/registry-scopes.json');

  it.each(v.validScopes)('valid scope %j', (scope) => {
    expect(validateTrustPolicy(document(statement({ registryScopes: [scope] })))).toEqual([]);
  });
  it.each(v.invalidScopes.values)('invalid scope %j', (scope) => {
    expect(codes(validateTrustPolicy(document(statement({ registryScopes: [scope] }))))).toEqual(['SCOPE_INVALID']);
  });
  it.each(v.invalidWildcardScopes.values)('wildcard scope %j', (scope) => {
    expect(registryScopeFormat(scope)).toBe('wildcard');
    expect(codes(validateTrustPolicy(document(statement({ registryScopes: [scope] }))))).toEqual(['SCOPE_WILDCARD_INVALID']);
  });
  it.each(v.invalidArtifactReferences.values)('artifact reference %j is refused by selectPolicyForReference', async (reference) => {
    const doc = parseTrustPolicy(document(statement({ registryScopes: ['*'] })));
    await expectAppError(() => selectPolicyForReference(doc, reference), 'ERR_POLICY_ARTIFACT_SCOPE_INVALID', 'invalid-input');
  });
  it.each(v.selection.map((sel, i) => [i, sel] as const))('selection #%i', (_i, sel) => {
    const doc = parseTrustPolicy(document(...sel.policyScopes.map((scopes, n) => statement({ name: `s${n}`, registryScopes: scopes }))));
    const chosen = selectPolicyForReference(doc, sel.reference);
    expect(chosen === undefined ? null : doc.trustPolicies.indexOf(chosen)).toBe(sel.selects);
  });
});

describe('vectors/verification-levels.json', () => {
  interface Levels {
    presets: Record<string, Record<string, string>>;
    validOverrides: Array<{ level: string; override: Record<string, string>; result: Record<string, string> }>;
    invalid: Array<{ level: string; override?: Record<string, string>; verifyTimestamp?: string }>;
  }
  const v = readJson<Levels>('vectors/verification-levels.json');

  it('presets equal LEVEL_TABLE', () => {
    expect(LEVEL_TABLE).toEqual(v.presets);
  });
  it.each(Object.keys(v.presets))('resolveLevel(%s) without override is the preset', (level) => {
    expect(resolveLevel({ level } as SignatureVerification).actions).toEqual(v.presets[level]);
  });
  it.each(v.validOverrides.map((o) => [`${o.level} ${JSON.stringify(o.override)}`, o] as const))('override %s', (_n, o) => {
    expect(resolveLevel({ level: o.level, override: o.override } as SignatureVerification).actions).toEqual(o.result);
  });
  it.each(v.invalid.map((o) => [JSON.stringify(o), o] as const))('invalid %s', (_n, o) => {
    expect(() => resolveLevel(o as unknown as SignatureVerification)).toThrow();
    expect(validateTrustPolicy(document(statement({ signatureVerification: o })))).not.toEqual([]);
  });
});
