import { describe, expect, it } from 'vitest';
import { PolicyError, parseBlobTrustPolicy, parseTrustPolicy, validateBlobTrustPolicy, validateTrustPolicy } from '../../../shared/policy/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { codes, document, statement } from './helpers.js';

const s = statement;
const sv = (v: Record<string, unknown>) => ({ signatureVerification: v });

describe('validateTrustPolicy: one broken rule gives exactly one problem', () => {
  it.each<[string, unknown, string, string]>([
    ['not JSON', '{"version": "1.0",', 'JSON_INVALID', ''],
    ['not an object', '[]', 'TYPE_INVALID', ''],
    ['unknown top-level field', { ...document(), extra: 1 }, 'FIELD_UNKNOWN', 'extra'],
    ['version missing', { trustPolicies: [s()] }, 'VERSION_MISSING', 'version'],
    ['version empty', { version: '', trustPolicies: [s()] }, 'VERSION_MISSING', 'version'],
    ['version 2.0', { version: '2.0', trustPolicies: [s()] }, 'VERSION_UNSUPPORTED', 'version'],
    ['version as number', { version: 1.0, trustPolicies: [s()] }, 'VERSION_UNSUPPORTED', 'version'],
    ['zero statements', { version: '1.0', trustPolicies: [] }, 'STATEMENTS_EMPTY', 'trustPolicies'],
    ['statements missing', { version: '1.0' }, 'STATEMENTS_EMPTY', 'trustPolicies'],
    ['statements not an array', { version: '1.0', trustPolicies: {} }, 'TYPE_INVALID', 'trustPolicies'],
    ['statement not an object', document('x' as never), 'TYPE_INVALID', 'trustPolicies[0]'],
    ['unknown statement field', document(s({ globalPolicy: true })), 'FIELD_UNKNOWN', 'trustPolicies[0].globalPolicy'],
    ['name missing', document(s({ name: undefined })), 'NAME_MISSING', 'trustPolicies[0].name'],
    ['name empty', document(s({ name: '' })), 'NAME_MISSING', 'trustPolicies[0].name'],
    ['name not a string', document(s({ name: 7 })), 'TYPE_INVALID', 'trustPolicies[0].name'],
    ['duplicate names', document(s(), s({ registryScopes: ['a.io/b'] })), 'NAME_DUPLICATE', 'trustPolicies[1].name'],
    ['signatureVerification missing', document(s({ signatureVerification: undefined })), 'LEVEL_MISSING', 'trustPolicies[0].signatureVerification'],
    ['signatureVerification not an object', document(s(sv('strict' as never))), 'TYPE_INVALID', 'trustPolicies[0].signatureVerification'],
    ['level missing', document(s(sv({}))), 'LEVEL_MISSING', 'trustPolicies[0].signatureVerification.level'],
    ['level empty', document(s(sv({ level: '' }))), 'LEVEL_MISSING', 'trustPolicies[0].signatureVerification.level'],
    ['level unknown', document(s(sv({ level: 'invalid' }))), 'LEVEL_UNKNOWN', 'trustPolicies[0].signatureVerification.level'],
    ['level with wrong case', document(s(sv({ level: 'Strict' }))), 'LEVEL_UNKNOWN', 'trustPolicies[0].signatureVerification.level'],
    ['unknown signatureVerification field', document(s(sv({ level: 'strict', overide: {} }))), 'FIELD_UNKNOWN', 'trustPolicies[0].signatureVerification.overide'],
    ['override not an object', document(s(sv({ level: 'strict', override: [] }))), 'TYPE_INVALID', 'trustPolicies[0].signatureVerification.override'],
    ['override on skip', document(s({ ...sv({ level: 'skip', override: { revocation: 'log' } }), trustStores: [], trustedIdentities: [] })), 'OVERRIDE_ON_SKIP', 'trustPolicies[0].signatureVerification.override'],
    ['override unknown check', document(s(sv({ level: 'strict', override: { invalid: 'log' } }))), 'OVERRIDE_CHECK_UNKNOWN', 'trustPolicies[0].signatureVerification.override.invalid'],
    ['override unknown action', document(s(sv({ level: 'strict', override: { authenticity: 'invalid' } }))), 'OVERRIDE_ACTION_UNKNOWN', 'trustPolicies[0].signatureVerification.override.authenticity'],
    ['override integrity to log', document(s(sv({ level: 'strict', override: { integrity: 'log' } }))), 'OVERRIDE_INTEGRITY', 'trustPolicies[0].signatureVerification.override.integrity'],
    ['override integrity to enforce', document(s(sv({ level: 'permissive', override: { integrity: 'enforce' } }))), 'OVERRIDE_INTEGRITY', 'trustPolicies[0].signatureVerification.override.integrity'],
    ['skip authenticity', document(s(sv({ level: 'strict', override: { authenticity: 'skip' } }))), 'OVERRIDE_SKIP_NOT_ALLOWED', 'trustPolicies[0].signatureVerification.override.authenticity'],
    ['skip authenticTimestamp', document(s(sv({ level: 'strict', override: { authenticTimestamp: 'skip' } }))), 'OVERRIDE_SKIP_NOT_ALLOWED', 'trustPolicies[0].signatureVerification.override.authenticTimestamp'],
    ['skip expiry', document(s(sv({ level: 'audit', override: { expiry: 'skip' } }))), 'OVERRIDE_SKIP_NOT_ALLOWED', 'trustPolicies[0].signatureVerification.override.expiry'],
    ['verifyTimestamp unknown', document(s(sv({ level: 'strict', verifyTimestamp: 'invalid' }))), 'VERIFY_TIMESTAMP_INVALID', 'trustPolicies[0].signatureVerification.verifyTimestamp'],
    ['verifyTimestamp empty (stricter than the reference)', document(s(sv({ level: 'strict', verifyTimestamp: '' }))), 'VERIFY_TIMESTAMP_INVALID', 'trustPolicies[0].signatureVerification.verifyTimestamp'],
    ['skip with trust stores', document(s({ ...sv({ level: 'skip' }), trustedIdentities: [] })), 'SKIP_WITH_TRUST', 'trustPolicies[0]'],
    ['skip with identities', document(s({ ...sv({ level: 'skip' }), trustStores: undefined })), 'SKIP_WITH_TRUST', 'trustPolicies[0]'],
    ['skip with global scope (spec; the reference accepts it)', document(s({ ...sv({ level: 'skip' }), registryScopes: ['*'], trustStores: undefined, trustedIdentities: undefined })), 'SKIP_GLOBAL', 'trustPolicies[0]'],
    ['trust stores missing', document(s({ trustStores: undefined })), 'TRUST_MISSING', 'trustPolicies[0].trustStores'],
    ['trust stores empty', document(s({ trustStores: [] })), 'TRUST_MISSING', 'trustPolicies[0].trustStores'],
    ['identities missing', document(s({ trustedIdentities: undefined })), 'TRUST_MISSING', 'trustPolicies[0].trustedIdentities'],
    ['trust stores not an array', document(s({ trustStores: 'ca:x' })), 'TYPE_INVALID', 'trustPolicies[0].trustStores'],
    ['trust store not a string', document(s({ trustStores: ['ca:x', 3] })), 'TYPE_INVALID', 'trustPolicies[0].trustStores[1]'],
    ['trust store without separator', document(s({ trustStores: ['*'] })), 'TRUST_STORE_MALFORMED', 'trustPolicies[0].trustStores[0]'],
    ['trust store type unknown', document(s({ trustStores: ['x509:acme'] })), 'TRUST_STORE_TYPE_UNKNOWN', 'trustPolicies[0].trustStores[0]'],
    ['trust store type wrong case', document(s({ trustStores: ['CA:acme'] })), 'TRUST_STORE_TYPE_UNKNOWN', 'trustPolicies[0].trustStores[0]'],
    ['trust store name empty', document(s({ trustStores: ['ca:'] })), 'TRUST_STORE_NAME_INVALID', 'trustPolicies[0].trustStores[0]'],
    ['trust store name with slash', document(s({ trustStores: ['ca:a/b'] })), 'TRUST_STORE_NAME_INVALID', 'trustPolicies[0].trustStores[0]'],
    ['trust store name ..', document(s({ trustStores: ['ca:..'] })), 'TRUST_STORE_NAME_INVALID', 'trustPolicies[0].trustStores[0]'],
    ['trust store name .', document(s({ trustStores: ['tsa:.'] })), 'TRUST_STORE_NAME_INVALID', 'trustPolicies[0].trustStores[0]'],
    ['trust store name with colon', document(s({ trustStores: ['ca:a:b'] })), 'TRUST_STORE_NAME_INVALID', 'trustPolicies[0].trustStores[0]'],
    ['wildcard identity with others', document(s({ trustedIdentities: ['*', 'x509.subject: C=US, ST=WA, O=acme'] })), 'IDENTITY_WILDCARD_NOT_ALONE', 'trustPolicies[0].trustedIdentities'],
    ['wildcard identity twice', document(s({ trustedIdentities: ['*', '*'] })), 'IDENTITY_WILDCARD_NOT_ALONE', 'trustPolicies[0].trustedIdentities'],
    ['empty identity', document(s({ trustedIdentities: [''] })), 'IDENTITY_EMPTY', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity without separator', document(s({ trustedIdentities: ['x509.subject C=US,ST=WA,O=acme'] })), 'IDENTITY_SEPARATOR_MISSING', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity prefix only', document(s({ trustedIdentities: ['x509.subject'] })), 'IDENTITY_SEPARATOR_MISSING', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity without value', document(s({ trustedIdentities: ['x509.subject:'] })), 'IDENTITY_VALUE_EMPTY', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity DN unparsable', document(s({ trustedIdentities: ['x509.subject:invalid'] })), 'IDENTITY_DN_INVALID', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity DN hex value', document(s({ trustedIdentities: ['x509.subject:C=US,ST=WA,O=#0403414243'] })), 'IDENTITY_DN_INVALID', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity DN multi-valued', document(s({ trustedIdentities: ['x509.subject:C=US,ST=WA,O=acme+OU=x'] })), 'IDENTITY_DN_INVALID', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity DN duplicate type', document(s({ trustedIdentities: ['x509.subject:C=US,ST=WA,O=acme,S=WA'] })), 'IDENTITY_DN_INVALID', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity DN without C', document(s({ trustedIdentities: ['x509.subject:ST=WA,O=acme'] })), 'IDENTITY_DN_MANDATORY_MISSING', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity DN without ST', document(s({ trustedIdentities: ['x509.subject:C=US,O=acme'] })), 'IDENTITY_DN_MANDATORY_MISSING', 'trustPolicies[0].trustedIdentities[0]'],
    ['identity DN without O', document(s({ trustedIdentities: ['x509.subject:C=US,ST=WA,CN=x'] })), 'IDENTITY_DN_MANDATORY_MISSING', 'trustPolicies[0].trustedIdentities[0]'],
    ['overlapping identities', document(s({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=acme, OU=org1', 'x509.subject: C=US, ST=WA, O=acme'] })), 'IDENTITIES_OVERLAP', 'trustPolicies[0].trustedIdentities'],
    ['identical identities', document(s({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=acme', 'x509.subject:C=US,S=WA,O=acme'] })), 'IDENTITIES_OVERLAP', 'trustPolicies[0].trustedIdentities'],
    ['registry scopes missing', document(s({ registryScopes: undefined })), 'SCOPES_EMPTY', 'trustPolicies[0].registryScopes'],
    ['registry scopes empty', document(s({ registryScopes: [] })), 'SCOPES_EMPTY', 'trustPolicies[0].registryScopes'],
    ['wildcard scope with others', document(s({ registryScopes: ['*', 'a.io/b'] })), 'SCOPE_WILDCARD_NOT_ALONE', 'trustPolicies[0].registryScopes'],
    ['two global statements', document(s({ registryScopes: ['*'] }), s({ name: 'other', registryScopes: ['*'] })), 'SCOPE_GLOBAL_MULTIPLE', 'trustPolicies[1].registryScopes[0]'],
    ['scope in two statements', document(s(), s({ name: 'other' })), 'SCOPE_DUPLICATE', 'trustPolicies[1].registryScopes[0]'],
    ['scope twice in one statement', document(s({ registryScopes: ['a.io/b', 'a.io/b'] })), 'SCOPE_DUPLICATE', 'trustPolicies[0].registryScopes[1]'],
    ['scope with tag', document(s({ registryScopes: ['a.io/b:latest'] })), 'SCOPE_INVALID', 'trustPolicies[0].registryScopes[0]'],
    ['scope with digest', document(s({ registryScopes: ['a.io/b@sha256:0123'] })), 'SCOPE_INVALID', 'trustPolicies[0].registryScopes[0]'],
    ['scope with scheme', document(s({ registryScopes: ['https://a.io/b'] })), 'SCOPE_INVALID', 'trustPolicies[0].registryScopes[0]'],
    ['scope with upper-case repository', document(s({ registryScopes: ['a.io/Repo'] })), 'SCOPE_INVALID', 'trustPolicies[0].registryScopes[0]'],
    ['scope with wildcard', document(s({ registryScopes: ['a.io/*'] })), 'SCOPE_WILDCARD_INVALID', 'trustPolicies[0].registryScopes[0]'],
    ['scope not a string', document(s({ registryScopes: [42] })), 'TYPE_INVALID', 'trustPolicies[0].registryScopes[0]'],
  ])('%s', (_name, input, code, path) => {
    const problems = validateTrustPolicy(typeof input === 'string' ? input : JSON.parse(JSON.stringify(input)));
    expect(problems.map((p) => [p.code, p.path])).toEqual([[code, path]]);
    expect(problems[0]?.message).not.toBe('');
  });

  it('accepts the baseline document', () => {
    expect(validateTrustPolicy(document())).toEqual([]);
  });

  it.each([
    ['skip statement with explicit scopes', s({ ...sv({ level: 'skip' }), trustStores: undefined, trustedIdentities: undefined })],
    ['skip statement with empty arrays', s({ ...sv({ level: 'skip' }), trustStores: [], trustedIdentities: [] })],
    ['duplicate trust stores (de-duplicated later)', s({ trustStores: ['ca:a', 'ca:a'] })],
    ['identities with other prefixes', s({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=acme', 'nonX509Prefix:my-custom-identity'] })],
    ['non-overlapping identities', s({ trustedIdentities: ['x509.subject: C=US, ST=WA, O=acme', 'x509.subject: C=US, ST=OR, O=acme'] })],
    ['empty override', s(sv({ level: 'audit', override: {} }))],
    ['every allowed override', s(sv({ level: 'audit', override: { authenticity: 'enforce', authenticTimestamp: 'log', expiry: 'enforce', revocation: 'skip' } }))],
    ['afterCertExpiry', s(sv({ level: 'strict', verifyTimestamp: 'afterCertExpiry' }))],
    ['signingAuthority and tsa stores', s({ trustStores: ['signingAuthority:sa-1', 'tsa:Public_TSA.v2'] })],
  ])('accepts %s', (_name, st) => {
    expect(validateTrustPolicy(document(st))).toEqual([]);
  });

  it('reports every problem of a document, each once', () => {
    const input = {
      version: '2.0',
      extra: true,
      trustPolicies: [
        s({ name: 'a', registryScopes: ['*', 'a.io/x'], trustStores: ['ca:..'], trustedIdentities: ['x509.subject:C=US'] }),
        s({ name: 'a', registryScopes: ['a.io/x:tag'], signatureVerification: { level: 'strict', override: { integrity: 'log', expiry: 'skip' } } }),
        s({ name: 'c', registryScopes: ['*'], signatureVerification: { level: 'skip' } }),
      ],
    };
    expect(codes(validateTrustPolicy(input)).sort()).toEqual(
      [
        'FIELD_UNKNOWN',
        'VERSION_UNSUPPORTED',
        'SCOPE_WILDCARD_NOT_ALONE',
        'TRUST_STORE_NAME_INVALID',
        'IDENTITY_DN_MANDATORY_MISSING',
        'OVERRIDE_INTEGRITY',
        'OVERRIDE_SKIP_NOT_ALLOWED',
        'SCOPE_INVALID',
        'SKIP_WITH_TRUST',
        'SKIP_GLOBAL',
        'NAME_DUPLICATE',
        'SCOPE_GLOBAL_MULTIPLE',
      ].sort(),
    );
  });
});

describe('parseTrustPolicy', () => {
  it('returns a normalised document (absent arrays become empty, empty override dropped)', () => {
    const skip = s({ name: 'skip', registryScopes: ['a.io/unsigned'], signatureVerification: { level: 'skip' }, trustStores: undefined, trustedIdentities: undefined });
    const audit = s({ signatureVerification: { level: 'audit', override: {} } });
    const parsed = parseTrustPolicy(JSON.stringify(document(audit, skip)));
    expect(parsed.trustPolicies[0]?.signatureVerification).toEqual({ level: 'audit' });
    expect(parsed.trustPolicies[1]).toMatchObject({ trustStores: [], trustedIdentities: [] });
  });

  it('throws PolicyError ERR_TRUST_POLICY_INVALID (config) carrying all problems', async () => {
    const error = await expectAppError(() => parseTrustPolicy({ version: '1.0', trustPolicies: [s({ name: '', trustStores: [] })] }), 'ERR_TRUST_POLICY_INVALID', 'config');
    expect(error).toBeInstanceOf(PolicyError);
    expect(codes((error as PolicyError).problems)).toEqual(['NAME_MISSING', 'TRUST_MISSING']);
  });

  it('does not alias the caller object', () => {
    const input = document();
    const parsed = parseTrustPolicy(input);
    (input.trustPolicies as Array<Record<string, unknown>>)[0]!.registryScopes = ['*'];
    expect(parsed.trustPolicies[0]?.registryScopes).toEqual(['registry.wabbit-networks.io/net-monitor']);
  });
});

describe('blob trust policy documents', () => {
  const blob = (overrides: Record<string, unknown> = {}) => {
    const { registryScopes: _ignored, ...rest } = s(overrides);
    return rest;
  };

  it.each<[string, unknown, string]>([
    ['registryScopes in a blob statement', { version: '1.0', trustPolicies: [s()] }, 'FIELD_UNKNOWN'],
    ['two global statements', { version: '1.0', trustPolicies: [blob({ globalPolicy: true }), blob({ name: 'b', globalPolicy: true })] }, 'GLOBAL_POLICY_MULTIPLE'],
    ['global skip statement', { version: '1.0', trustPolicies: [blob({ globalPolicy: true, signatureVerification: { level: 'skip' }, trustStores: [], trustedIdentities: [] })] }, 'SKIP_GLOBAL'],
    ['globalPolicy not a boolean', { version: '1.0', trustPolicies: [blob({ globalPolicy: 'yes' })] }, 'TYPE_INVALID'],
  ])('%s', (_name, input, code) => {
    expect(codes(validateBlobTrustPolicy(input))).toEqual([code]);
  });

  it('parses a blob document', () => {
    const parsed = parseBlobTrustPolicy({ version: '1.0', trustPolicies: [blob({ globalPolicy: true })] });
    expect(parsed.trustPolicies[0]).toMatchObject({ name: 'wabbit', globalPolicy: true });
  });
});
