import { describe, expect, it } from 'vitest';
import { cosignScheme } from '../../../shared/cosign/index.js';
import { fixedClock, silentLogger } from '../../../shared/core/index.js';
import { generateKeyPairSync } from 'node:crypto';

const HEX = 'ab'.repeat(32);
const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

describe('cosign evidence pushes (verify-on-push asks which subject a pushed manifest speaks for)', () => {
  const scheme = () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    return cosignScheme.create({ trustRoots: { release: { publicKey: key } } }, { clock: fixedClock(new Date(0)), logger: silentLogger, fetch: () => Promise.reject(new Error('no network')), baseDir: '/' });
  };

  it('a .sig image names its subject by the tag it is pushed under', async () => {
    const json = { schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json' }, layers: [{ mediaType: SIMPLE_SIGNING }] };
    expect((await scheme()).evidenceSubject?.({ json, tag: `sha256-${HEX}.sig` })).toBe(`sha256:${HEX}`);
  });

  it('a bundle referrer names its subject in the manifest', async () => {
    const json = { schemaVersion: 2, artifactType: BUNDLE, layers: [{ mediaType: BUNDLE }], subject: { digest: `sha256:${HEX}` } };
    expect((await scheme()).evidenceSubject?.({ json })).toBe(`sha256:${HEX}`);
  });

  it.each([
    ['an image pushed under a .sig-looking tag without simple-signing layers', { layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar' }] }, `sha256-${HEX}.sig`],
    ['simple-signing layers under an ordinary tag', { layers: [{ mediaType: SIMPLE_SIGNING }] }, 'v1'],
    ['simple-signing layers without a tag', { layers: [{ mediaType: SIMPLE_SIGNING }] }, undefined],
    ['an attestation tag (.att is not a signature)', { layers: [{ mediaType: SIMPLE_SIGNING }] }, `sha256-${HEX}.att`],
    ['a bundle referrer without a subject', { artifactType: BUNDLE, layers: [] }, undefined],
    ['a Notary signature referrer', { artifactType: 'application/vnd.cncf.notary.signature', subject: { digest: `sha256:${HEX}` } }, undefined],
    ['not an object', 'nope', `sha256-${HEX}.sig`],
  ])('is not cosign evidence: %s', async (_, json, tag) => {
    expect((await scheme()).evidenceSubject?.({ json, ...(tag ? { tag } : {}) })).toBeUndefined();
  });
});
