import { describe, expect, it } from 'vitest';
import { parseReference, referrersTagFor, registryApiHost } from '../../../shared/oci/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const D256 = `sha256:${'a'.repeat(64)}`;
const D512 = `sha512:${'b'.repeat(128)}`;

describe('parseReference', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx', 'latest', undefined],
    ['nginx:1.25', 'docker.io', 'library/nginx', '1.25', undefined],
    ['library/nginx', 'docker.io', 'library/nginx', 'latest', undefined],
    ['bitnami/redis:7', 'docker.io', 'bitnami/redis', '7', undefined],
    ['docker.io/nginx', 'docker.io', 'library/nginx', 'latest', undefined],
    ['index.docker.io/library/nginx:1', 'docker.io', 'library/nginx', '1', undefined],
    ['registry-1.docker.io/foo/bar', 'docker.io', 'foo/bar', 'latest', undefined],
    ['myacr.azurecr.io/team/app:v1', 'myacr.azurecr.io', 'team/app', 'v1', undefined],
    ['host:5000/a/b:tag', 'host:5000', 'a/b', 'tag', undefined],
    ['host:5000/a/b', 'host:5000', 'a/b', 'latest', undefined],
    ['localhost/app', 'localhost', 'app', 'latest', undefined],
    ['localhost:5000/app:v2', 'localhost:5000', 'app', 'v2', undefined],
    ['127.0.0.1:5000/app', '127.0.0.1:5000', 'app', 'latest', undefined],
    ['[::1]:5000/app:v1', '[::1]:5000', 'app', 'v1', undefined],
    ['[2001:db8::1]/ns/app', '[2001:db8::1]', 'ns/app', 'latest', undefined],
    ['Registry.Example.COM/app', 'registry.example.com', 'app', 'latest', undefined],
    [`nginx@${D256}`, 'docker.io', 'library/nginx', undefined, D256],
    [`ghcr.io/o/r:v1@${D256}`, 'ghcr.io', 'o/r', 'v1', D256],
    [`host:5000/a@${D512}`, 'host:5000', 'a', undefined, D512],
    ['a/b-c/d__e/f.g_h:tag_1.0-rc', 'docker.io', 'a/b-c/d__e/f.g_h', 'tag_1.0-rc', undefined],
    ['nginx:5000', 'docker.io', 'library/nginx', '5000', undefined],
  ])('%s → %s / %s : %s @ %s', (text, registry, repository, tag, digest) => {
    const ref = parseReference(text);
    expect({ registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest }).toEqual({ registry, repository, tag, digest });
  });

  it('the digest wins over the tag when both are given', () => {
    expect(parseReference(`ghcr.io/o/r:v1@${D256}`).identifier).toBe(D256);
    expect(parseReference('ghcr.io/o/r:v1').identifier).toBe('v1');
  });

  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    [`nginx:1@${D256}`, `docker.io/library/nginx:1@${D256}`],
    [`localhost:5000/a@${D256}`, `localhost:5000/a@${D256}`],
  ])('normalises %s to %s', (text, normalised) => {
    expect(parseReference(text).toString()).toBe(normalised);
    expect(parseReference(parseReference(text).toString()).toString()).toBe(normalised);
  });

  it.each([
    [''],
    ['Nginx'],
    ['docker.io/Library/nginx'],
    ['host:5000/App'],
    ['host:5000/'],
    ['host:5000//app'],
    ['/app'],
    ['app/'],
    ['app:'],
    ['app:-tag'],
    [`app:${'t'.repeat(129)}`],
    ['app@sha256:abc'],
    [`app@sha256:${'A'.repeat(64)}`],
    [`app@sha384:${'a'.repeat(96)}`],
    [`app@md5:${'a'.repeat(32)}`],
    [`app@${D256}@${D256}`],
    ['host:99999/app'],
    ['host:0/app'],
    ['[::zz]:5000/app'],
    ['-host.com/app'],
    ['app name'],
    ['app/../etc'],
    ['a..b/c'],
    [`registry.io/${'a'.repeat(250)}`],
    ['x'.repeat(2000)],
  ])('rejects %j with ERR_INVALID_REFERENCE', async (text) => {
    await expectAppError(() => parseReference(text), 'ERR_INVALID_REFERENCE', 'invalid-input');
  });
});

describe('registryApiHost', () => {
  it.each([
    ['docker.io', 'registry-1.docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
  ])('%s is served by %s', (registry, host) => expect(registryApiHost(registry)).toBe(host));
});

describe('referrersTagFor', () => {
  it.each([
    [D256, `sha256-${'a'.repeat(64)}`],
    [D512, `sha512-${'b'.repeat(64)}`],
  ])('%s → %s', (digest, tag) => expect(referrersTagFor(digest)).toBe(tag));

  it('rejects a malformed digest', async () => {
    await expectAppError(() => referrersTagFor('sha256:xyz'), 'ERR_INVALID_DIGEST', 'invalid-input');
  });
});
