import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseReference } from '../../../shared/oci/index.js';
import type { Descriptor } from '../../../shared/oci/index.js';
import { startFakeRegistry } from '../../fakes/registry/index.js';
import type { FakeRegistry } from '../../fakes/registry/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { clientFor, storeImage } from './setup.js';

const MISSING = `sha256:${'0'.repeat(64)}`;

describe('RegistryClient resolve / fetchManifest / fetchBlob (fake registry)', () => {
  let fake: FakeRegistry;
  let image: Descriptor;
  let repo: string;

  beforeEach(async () => {
    fake = await startFakeRegistry();
    image = storeImage(fake, 'team/app', 'v1');
    repo = `${fake.host}/team/app`;
  });
  afterEach(async () => fake.stop());

  describe('resolve', () => {
    it('resolves a tag with one HEAD carrying every manifest media type', async () => {
      const { client } = clientFor(fake);
      expect(await client.resolve(`${repo}:v1`)).toEqual(image);
      expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /v2/team/app/manifests/v1']);
    });

    it('falls back to GET when HEAD has no Docker-Content-Digest, computing the digest itself', async () => {
      fake.faults.omitDigestHeader = true;
      const { client } = clientFor(fake);
      expect(await client.resolve(`${repo}:v1`)).toEqual(image);
      expect(fake.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    });

    it('resolves a digest reference and the digest wins over the tag', async () => {
      const { client } = clientFor(fake);
      expect(await client.resolve(`${repo}:nonexistent@${image.digest}`)).toEqual(image);
      expect(fake.requests[0]?.path).toBe(`/v2/team/app/manifests/${image.digest}`);
    });

    it('refuses content served for a pinned digest that hashes differently (GET path)', async () => {
      fake.faults.omitDigestHeader = true;
      fake.faults.replaceContent.set(image.digest, Buffer.from('{"schemaVersion":2}'));
      const { client } = clientFor(fake);
      // HEAD says too little (no content-type match for the pinned digest is not enough without a length): force GET.
      fake.faults.failures.push({ status: 405, count: 1, match: /^HEAD / });
      await expectAppError(client.resolve(`${repo}@${image.digest}`), 'ERR_DIGEST_MISMATCH', 'verification-failed');
    });

    it('trusts HEAD only as far as fetchManifest verifies it: a lying HEAD fails at fetch', async () => {
      fake.faults.replaceContent.set(image.digest, Buffer.from('{"schemaVersion":2}'));
      const { client } = clientFor(fake);
      const resolved = await client.resolve(`${repo}:v1`);
      await expectAppError(client.fetchManifest(repo, resolved), 'ERR_DIGEST_MISMATCH', 'verification-failed');
    });

    it('refuses a HEAD whose digest differs from the pinned one', async () => {
      const other = storeImage(fake, 'team/app', 'v2');
      fake.faults.failures.push({ status: 200, count: 1, match: /^HEAD /, headers: { 'docker-content-digest': other.digest, 'content-type': image.mediaType } });
      const { client } = clientFor(fake);
      await expectAppError(client.resolve(`${repo}@${image.digest}`), 'ERR_DIGEST_MISMATCH', 'verification-failed');
    });

    it.each([
      ['a tag', 'nope'],
      ['a digest', `x@${MISSING}`],
    ])('a missing manifest by %s is proven absent (verification-failed)', async (_what, suffix) => {
      const { client } = clientFor(fake);
      const reference = suffix.startsWith('x@') ? `${repo}@${MISSING}` : `${repo}:${suffix}`;
      const error = await expectAppError(client.resolve(reference), 'ERR_MANIFEST_NOT_FOUND', 'verification-failed');
      expect(error).toMatchObject({ status: 404, ociErrors: [{ code: 'MANIFEST_UNKNOWN' }] });
    });

    it('refuses an unusable manifest media type', async () => {
      fake.putManifest('team/app', { schemaVersion: 1, name: 'x' }, { mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws', tag: 'old' });
      const { client } = clientFor(fake);
      await expectAppError(client.resolve(`${repo}:old`), 'ERR_INVALID_MANIFEST', 'verification-failed');
    });
  });

  describe('fetchManifest', () => {
    it('returns verified bytes and the parsed manifest', async () => {
      const { client } = clientFor(fake);
      const fetched = await client.fetchManifest(parseReference(`${repo}:v1`), image);
      expect(fetched.descriptor).toEqual(image);
      expect(fetched.kind).toBe('manifest');
      // json is the document itself (what signature parsing reads), and bytes are exactly what hashes to the digest.
      expect(fetched.json).toEqual(JSON.parse(fetched.bytes.toString('utf8')));
      expect((await client.fetchManifest({ registry: fake.host, repository: 'team/app' }, image.digest)).descriptor).toEqual(image);
    });

    it.each([
      ['other bytes of the same length', (bytes: Buffer) => Buffer.from(bytes.toString('utf8').replace('schemaVersion', 'schemaversion')), 'ERR_DIGEST_MISMATCH'],
      ['a shorter body', (bytes: Buffer) => bytes.subarray(0, bytes.length - 1), 'ERR_SIZE_MISMATCH'],
      ['a longer body', (bytes: Buffer) => Buffer.concat([bytes, Buffer.from('   ')]), 'ERR_SIZE_MISMATCH'],
    ])('refuses %s', async (_what, tamper, code) => {
      const { client } = clientFor(fake);
      const original = (await client.fetchManifest(repo, image)).bytes;
      fake.faults.replaceContent.set(image.digest, tamper(original));
      await expectAppError(client.fetchManifest(repo, image), code, 'verification-failed');
    });

    it('refuses a descriptor over the limit without a request', async () => {
      const { client } = clientFor(fake);
      await expectAppError(client.fetchManifest(repo, { ...image, size: 5 * 1024 * 1024 }), 'ERR_CONTENT_TOO_LARGE', 'verification-failed');
      await expectAppError(client.fetchManifest(repo, image, { maxBytes: image.size - 1 }), 'ERR_CONTENT_TOO_LARGE');
      expect(fake.requests).toEqual([]);
    });

    it('stops reading an endless body at the cap when only the digest is known', async () => {
      fake.faults.endlessBody = { match: /manifests/ };
      const { client } = clientFor(fake);
      await expectAppError(client.fetchManifest(repo, image.digest), 'ERR_CONTENT_TOO_LARGE', 'verification-failed');
      await expectAppError(client.fetchManifest(repo, image), 'ERR_SIZE_MISMATCH', 'verification-failed');
    });

    it('turns a body that breaks off into an inconclusive connection error', async () => {
      fake.faults.truncateBody = { match: /manifests/ };
      const { client } = clientFor(fake);
      await expectAppError(client.fetchManifest(repo, image), 'ERR_REGISTRY_CONNECTION', 'inconclusive');
    });

    it.each([
      ['malformed JSON', '{"schemaVersion": 2, "config": ', undefined],
      ['a manifest without layers', '{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:' + 'c'.repeat(64) + '","size":1}}', undefined],
      ['a body whose mediaType contradicts the descriptor', JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }), 'application/vnd.oci.image.manifest.v1+json'],
    ])('refuses %s (content matches its digest, so verification-failed)', async (_what, text, mediaType) => {
      const stored = fake.putManifest('team/app', Buffer.from(text), mediaType ? { mediaType } : {});
      const { client } = clientFor(fake);
      await expectAppError(client.fetchManifest(repo, stored), 'ERR_INVALID_MANIFEST', 'verification-failed');
    });

    it('rejects a malformed digest as invalid input, without a request', async () => {
      const { client } = clientFor(fake);
      await expectAppError(client.fetchManifest(repo, 'sha256:short'), 'ERR_INVALID_DIGEST', 'invalid-input');
      expect(fake.requests).toEqual([]);
    });
  });

  describe('fetchBlob', () => {
    it('returns a verified blob; refuses one over the caller cap before fetching', async () => {
      const blob = fake.putBlob('team/app', 'x'.repeat(100));
      const { client } = clientFor(fake);
      expect((await client.fetchBlob(repo, blob)).toString()).toBe('x'.repeat(100));
      fake.requests.length = 0;
      await expectAppError(client.fetchBlob(repo, blob, { maxBytes: 99 }), 'ERR_CONTENT_TOO_LARGE', 'verification-failed');
      expect(fake.requests).toEqual([]);
    });

    it.each([-1, 1.5, Number.NaN])('rejects a descriptor with size %s as invalid input, without a request', async (size) => {
      const { client } = clientFor(fake);
      await expectAppError(client.fetchBlob(repo, { mediaType: 'x', digest: MISSING, size }), 'ERR_INVALID_DESCRIPTOR', 'invalid-input');
      expect(fake.requests).toEqual([]);
    });

    it('refuses a blob whose content does not match its digest', async () => {
      const blob = fake.putBlob('team/app', 'genuine');
      fake.faults.replaceContent.set(blob.digest, Buffer.from('forgery'));
      const { client } = clientFor(fake);
      await expectAppError(client.fetchBlob(repo, blob), 'ERR_DIGEST_MISMATCH', 'verification-failed');
    });

    it('stops an endless blob at the descriptor size', async () => {
      const blob = fake.putBlob('team/app', 'small');
      fake.faults.endlessBody = { match: /blobs/ };
      const { client } = clientFor(fake);
      await expectAppError(client.fetchBlob(repo, blob), 'ERR_SIZE_MISMATCH', 'verification-failed');
    });

    it('a missing blob is proven absent', async () => {
      const { client } = clientFor(fake);
      await expectAppError(client.fetchBlob(repo, { mediaType: 'x', digest: MISSING, size: 3 }), 'ERR_BLOB_NOT_FOUND', 'verification-failed');
    });
  });
});

describe('registries that answer manifests as application/json', () => {
  it('takes the media type from the document', async () => {
    const fake = await startFakeRegistry();
    try {
      const config = fake.putBlob('app', '{}');
      const stored = fake.putManifest('app', { schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config, layers: [] }, { mediaType: 'application/json', tag: 'v1' });
      const { client } = clientFor(fake);
      const resolved = await client.resolve(`${fake.host}/app:v1`);
      expect(resolved).toEqual({ ...stored, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });
      expect((await client.fetchManifest(`${fake.host}/app`, stored.digest)).kind).toBe('manifest');
    } finally {
      await fake.stop();
    }
  });
});
