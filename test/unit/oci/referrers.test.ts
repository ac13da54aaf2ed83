import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Descriptor } from '../../../shared/oci/index.js';
import { startFakeRegistry } from '../../fakes/registry/index.js';
import type { FakeRegistry } from '../../fakes/registry/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { nextPage } from '../../../shared/oci/referrers.js';
import { SBOM, SIGNATURE, clientFor, collect, storeImage, storeReferrer } from './setup.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

describe('referrers (fake registry)', () => {
  let fake: FakeRegistry;
  let image: Descriptor;
  let signatures: Descriptor[];
  let sbom: Descriptor;
  let repo: string;

  beforeEach(async () => {
    fake = await startFakeRegistry();
    image = storeImage(fake, 'team/app', 'v1');
    signatures = [1, 2, 3, 4, 5].map((n) => storeReferrer(fake, 'team/app', image, SIGNATURE, `sig ${n}`));
    sbom = storeReferrer(fake, 'team/app', image, SBOM);
    repo = `${fake.host}/team/app`;
  });
  afterEach(async () => fake.stop());

  const digests = (list: Descriptor[]): string[] => list.map((d) => d.digest).sort();
  const referrerCalls = (): string[] => fake.requests.filter((r) => r.path.includes('/referrers/')).map((r) => r.path);

  it.each([
    ['server-side filtering (OCI-Filters-Applied)', true],
    ['no server-side filtering: the client filters', false],
  ])('follows Link pagination with %s', async (_what, filter) => {
    fake.faults.referrers = { api: 'on', pageSize: 2, filter, endless: false };
    const { client } = clientFor(fake);
    const listed = await collect(client.referrers(repo, image, { artifactType: SIGNATURE }));
    expect(digests(listed)).toEqual(digests(signatures));
    expect(listed.every((d) => d.artifactType === SIGNATURE)).toBe(true);
    expect(referrerCalls()).toHaveLength(3);
    expect(referrerCalls()[0]).toBe(`/v2/team/app/referrers/${image.digest}?artifactType=${encodeURIComponent(SIGNATURE)}`);
  });

  it('lists every referrer without an artifactType filter', async () => {
    const { client } = clientFor(fake);
    expect(digests(await collect(client.referrers(repo, image)))).toEqual(digests([...signatures, sbom]));
  });

  it('filters client-side even when the registry claims it filtered', async () => {
    fake.faults.referrers = { api: 'on', pageSize: 100, filter: false, endless: false };
    fake.faults.failures.push({
      status: 200,
      count: 1,
      match: /referrers/,
      headers: { 'content-type': OCI_INDEX, 'oci-filters-applied': 'artifactType' },
      body: JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [sbom, signatures[0]] }),
    });
    const { client } = clientFor(fake);
    expect(await collect(client.referrers(repo, image, { artifactType: SIGNATURE }))).toEqual([signatures[0]]);
  });

  it('stops fetching pages when the caller stops iterating', async () => {
    fake.faults.referrers = { api: 'on', pageSize: 1, filter: true, endless: false };
    const { client } = clientFor(fake);
    for await (const first of client.referrers(repo, image, { artifactType: SIGNATURE })) {
      expect(first.artifactType).toBe(SIGNATURE);
      break;
    }
    expect(referrerCalls()).toHaveLength(1);
  });

  it('bounds endless pagination with ERR_REFERRERS_TOO_MANY_PAGES', async () => {
    fake.faults.referrers = { api: 'on', pageSize: 1, filter: true, endless: true };
    const { client } = clientFor(fake);
    await expectAppError(collect(client.referrers(repo, image, { artifactType: SIGNATURE, maxPages: 7 })), 'ERR_REFERRERS_TOO_MANY_PAGES', 'inconclusive');
    expect(referrerCalls()).toHaveLength(7);
  });

  it('refuses a Link to another origin', async () => {
    fake.faults.referrers = { api: 'on', pageSize: 1, filter: true, endless: false, linkOverride: 'http://127.0.0.1:1/v2/team/app/referrers/x' };
    const { client } = clientFor(fake);
    await expectAppError(collect(client.referrers(repo, image)), 'ERR_INVALID_RESPONSE', 'inconclusive');
  });

  it('refuses malformed JSON in an index response', async () => {
    fake.faults.referrers = { api: 'malformed-json', pageSize: 100, filter: true, endless: false };
    const { client } = clientFor(fake);
    await expectAppError(collect(client.referrers(repo, image)), 'ERR_INVALID_RESPONSE', 'inconclusive');
  });

  it('skips malformed descriptors in a listing', async () => {
    fake.faults.failures.push({
      status: 200,
      count: 1,
      match: /referrers/,
      headers: { 'content-type': OCI_INDEX },
      body: JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'sha256:nope', size: 1, mediaType: 'x' }, { mediaType: 'x', size: -1, digest: image.digest }, signatures[1]] }),
    });
    const { client } = clientFor(fake);
    expect(await collect(client.referrers(repo, image))).toEqual([signatures[1]]);
  });

  it('surfaces a failing referrers API as an inconclusive error, not as "no signatures"', async () => {
    fake.faults.failures.push({ status: 500, count: 10, match: /referrers/ });
    const { client } = clientFor(fake, { retries: 1 });
    await expectAppError(collect(client.referrers(repo, image)), 'ERR_REGISTRY_UNAVAILABLE', 'inconclusive');
  });

  describe('fallback to the referrers tag schema', () => {
    function storeTagIndex(manifests: Descriptor[]): void {
      fake.putManifest('team/app', { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, { tag: `sha256-${image.digest.slice(7)}` });
    }

    it.each([
      ['404 (no referrers API)', 'not-found' as const],
      ['a non-index answer', 'non-index' as const],
    ])('falls back on %s and remembers it per registry and repository', async (_what, api) => {
      fake.faults.referrers = { api, pageSize: 100, filter: false, endless: false };
      storeTagIndex([signatures[0] as Descriptor, sbom]);
      const { client } = clientFor(fake);
      expect(await collect(client.referrers(repo, image, { artifactType: SIGNATURE }))).toEqual([signatures[0]]);
      expect(await collect(client.referrers(repo, image, { artifactType: SIGNATURE }))).toEqual([signatures[0]]);
      expect(referrerCalls()).toHaveLength(1);
      // Another repository of the same registry is probed on its own (finding: one 404 switched the whole registry).
      expect(await collect(client.referrers(`${fake.host}/team/other`, image))).toEqual([]);
      expect(referrerCalls()).toHaveLength(2);
      const tagReads = fake.requests.filter((r) => r.path.includes('/manifests/sha256-'));
      expect(tagReads.map((r) => r.path)).toEqual([
        `/v2/team/app/manifests/sha256-${image.digest.slice(7)}`,
        `/v2/team/app/manifests/sha256-${image.digest.slice(7)}`,
        `/v2/team/other/manifests/sha256-${image.digest.slice(7)}`,
      ]);
    });

    it('remembers a working referrers API per registry too (no tag reads)', async () => {
      const { client } = clientFor(fake);
      await collect(client.referrers(repo, image));
      await collect(client.referrers(repo, image));
      expect(referrerCalls()).toHaveLength(2);
      expect(fake.requests.some((r) => r.path.includes('/manifests/sha256-'))).toBe(false);
    });

    it.each([
      ['the tag is absent', () => undefined],
      ['the tag holds an image manifest, not an index', () => storeImage(fake, 'team/app', `sha256-${image.digest.slice(7)}`)],
    ])('yields nothing when %s', async (_what, arrange) => {
      fake.faults.referrers.api = 'not-found';
      arrange();
      const { client } = clientFor(fake);
      expect(await collect(client.referrers(repo, image))).toEqual([]);
    });

    it('an oversized tag index is refused', async () => {
      fake.faults.referrers.api = 'not-found';
      storeTagIndex([]);
      fake.faults.endlessBody = { match: /manifests\/sha256-/ };
      const { client } = clientFor(fake);
      await expectAppError(collect(client.referrers(repo, image)), 'ERR_CONTENT_TOO_LARGE');
    });
  });
});

describe('nextPage (RFC 8288 Link)', () => {
  const current = new URL('https://r.example/v2/app/referrers/sha256:x?artifactType=a');
  it.each([
    [null, undefined],
    ['</v2/app/referrers/sha256:x?last=2>; rel="next"', 'https://r.example/v2/app/referrers/sha256:x?last=2'],
    ['<https://r.example/p2>; rel=next', 'https://r.example/p2'],
    ['</p0>; rel="prev", </p2>; rel="next"', 'https://r.example/p2'],
    ['</p0>; rel="prev"', undefined],
    ['garbage', undefined],
  ])('%j → %s', (header, expected) => expect(nextPage(header, current)).toBe(expected));

  it('refuses a next page on another origin', async () => {
    await expectAppError(() => nextPage('<https://evil.example/p2>; rel="next"', current), 'ERR_INVALID_RESPONSE', 'inconclusive');
  });
});
