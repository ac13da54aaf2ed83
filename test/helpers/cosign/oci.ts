import type { Bundle } from '@sigstore/bundle';
import type { Descriptor, ImageManifest } from '../../../shared/oci/types.js';
import { OCI_EMPTY, OCI_MANIFEST, pushBlob, pushManifest, pushReferrersIndex, type PushTarget } from '../oci-push.js';
import { toPem } from './sigstore-world.js';

/** cosign's layouts in a registry, written the way cosign writes them (test-only). */
export const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** The simple-signing payload cosign signs for an image. */
export function simpleSigningPayload(digest: string, dockerReference: string): Buffer {
  return Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: null }));
}

/** The in-toto statement cosign 3 signs into a DSSE bundle for `cosign sign`. */
export function signStatement(digest: string, name: string): Buffer {
  return Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, '') } }], predicateType: 'https://sigstore.dev/cosign/sign/v1', predicate: {} }));
}

/**
 * The `.sig` layer annotations for a message-signature bundle over a simple-signing payload: base64 signature,
 * certificate (+ chain), the Rekor "bundle" {SignedEntryTimestamp, Payload} and {SignedRFC3161Timestamp}.
 */
export function legacyAnnotations(bundle: Bundle, options: { chainPem?: string } = {}): Record<string, string> {
  if (bundle.content.$case !== 'messageSignature') throw new Error('legacy signatures are message signatures');
  const annotations: Record<string, string> = { 'dev.cosignproject.cosign/signature': bundle.content.messageSignature.signature.toString('base64') };
  const material = bundle.verificationMaterial;
  const cert = material.content.$case === 'x509CertificateChain' ? material.content.x509CertificateChain.certificates[0]?.rawBytes : material.content.$case === 'certificate' ? material.content.certificate.rawBytes : undefined;
  if (cert) annotations['dev.sigstore.cosign/certificate'] = toPem(Buffer.from(cert));
  if (options.chainPem) annotations['dev.sigstore.cosign/chain'] = options.chainPem;
  const entry = material.tlogEntries[0];
  if (entry?.inclusionPromise) {
    annotations['dev.sigstore.cosign/bundle'] = JSON.stringify({
      SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp.toString('base64'),
      Payload: { body: entry.canonicalizedBody.toString('base64'), integratedTime: Number(entry.integratedTime), logIndex: Number(entry.logIndex), logID: entry.logId.keyId.toString('hex') },
    });
  }
  const ts = material.timestampVerificationData?.rfc3161Timestamps[0];
  if (ts) annotations['dev.sigstore.cosign/rfc3161timestamp'] = JSON.stringify({ SignedRFC3161Timestamp: ts.signedTimestamp.toString('base64') });
  return annotations;
}

/** Pushes a `sha256-<hex>.sig` image: one simple-signing layer per signature, annotations on the layers. */
export async function pushSigImage(target: PushTarget, repository: string, subject: Descriptor, layers: Array<{ payload: Buffer; annotations: Record<string, string> }>): Promise<Descriptor> {
  const config = await pushBlob(target, repository, JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: [] } }), 'application/vnd.oci.image.config.v1+json');
  const descriptors: Descriptor[] = [];
  for (const layer of layers) descriptors.push({ ...(await pushBlob(target, repository, layer.payload, SIMPLE_SIGNING)), annotations: layer.annotations });
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: descriptors };
  return pushManifest(target, repository, manifest, { tag: `${subject.digest.replace(':', '-')}.sig` });
}

/** Pushes a Sigstore bundle as an OCI 1.1 referrer of `subject` (cosign BUNDLE_SPEC) and adds it to the tag-schema index. */
export async function pushBundleReferrer(target: PushTarget, repository: string, subject: Descriptor, bundleText: string | Buffer, mediaType = BUNDLE_V03): Promise<Descriptor> {
  const config = await pushBlob(target, repository, '{}', OCI_EMPTY);
  const layer = await pushBlob(target, repository, bundleText, mediaType);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: mediaType,
    config,
    layers: [{ ...layer, annotations: { 'org.opencontainers.image.title': `${layer.digest.replace(':', '-')}.sigstore.json` } }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' },
  };
  const descriptor = await pushManifest(target, repository, manifest);
  const listed = { ...descriptor, artifactType: mediaType };
  await pushReferrersIndex(target, repository, subject, [listed]);
  return listed;
}
