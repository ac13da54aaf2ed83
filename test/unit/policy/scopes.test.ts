import { describe, expect, it } from 'vitest';
import { parseTrustPolicy, selectPolicy, trustStoreRefs } from '../../../shared/policy/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { document, statement } from './helpers.js';

describe('selectPolicy', () => {
  const doc = parseTrustPolicy(
    document(
      statement({ name: 'exact', registryScopes: ['registry.acme.io/software/net-monitor', 'localhost:5000/test'] }),
      statement({ name: 'global', registryScopes: ['*'] }),
      statement({ name: 'unsigned', registryScopes: ['registry.acme.io/unsigned'], signatureVerification: { level: 'skip' }, trustStores: [], trustedIdentities: [] }),
    ),
  );

  it.each([
    ['registry.acme.io/software/net-monitor', 'exact'],
    ['localhost:5000/test', 'exact'],
    ['registry.acme.io/unsigned', 'unsigned'],
    ['registry.acme.io/software', 'global'],
    ['registry.acme.io/software/net-monitor/sub', 'global'],
    ['docker.io/library/alpine', 'global'],
    ['REGISTRY.acme.io/software/net-monitor', 'global'],
  ])('%s → %s (exact string match, else global)', (repository, name) => {
    expect(selectPolicy(doc, repository)?.name).toBe(name);
  });

  it('returns undefined without a global statement', () => {
    const only = parseTrustPolicy(document(statement()));
    expect(selectPolicy(only, 'other.io/repo')).toBeUndefined();
  });

  it.each(['*', 'alpine', 'registry.acme.io/software/net-monitor:v1', 'registry.acme.io/software/net-monitor@sha256:abc', ''])(
    'refuses %j as a repository',
    async (repository) => {
      await expectAppError(() => selectPolicy(doc, repository), 'ERR_POLICY_ARTIFACT_SCOPE_INVALID', 'invalid-input');
    },
  );
});

describe('trustStoreRefs', () => {
  it('parses and de-duplicates in written order', () => {
    expect(trustStoreRefs({ trustStores: ['ca:a', 'tsa:t', 'ca:a', 'signingAuthority:a', 'tsa:t'] })).toEqual([
      { type: 'ca', name: 'a' },
      { type: 'tsa', name: 't' },
      { type: 'signingAuthority', name: 'a' },
    ]);
  });

  it.each(['ca', 'x:a', 'ca:../x', 'ca:..'])('throws on %j', async (entry) => {
    await expectAppError(() => trustStoreRefs({ trustStores: [entry] }), 'ERR_TRUST_POLICY_INVALID');
  });
});
