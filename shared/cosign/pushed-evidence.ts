import type { PushedManifest } from '../scheme/index.js';
import { BUNDLE_MEDIA_TYPES, SIMPLE_SIGNING_MEDIA_TYPE } from './constants.js';

/** cosign's tag for the signatures of `sha256:<hex>`. */
const SIG_TAG = /^sha256-([0-9a-f]{64})\.sig$/;

/**
 * The subject a pushed manifest is cosign evidence for: a Sigstore bundle referrer names it in `subject`; a `.sig`
 * image (simple-signing layers) names it in the tag it is pushed under. Anything else: undefined.
 */
export function cosignEvidenceSubject(pushed: PushedManifest): string | undefined {
  if (typeof pushed.json !== 'object' || pushed.json === null) return undefined;
  const manifest = pushed.json as { artifactType?: unknown; subject?: { digest?: unknown }; layers?: unknown };
  if (typeof manifest.artifactType === 'string' && BUNDLE_MEDIA_TYPES.includes(manifest.artifactType)) {
    return typeof manifest.subject?.digest === 'string' ? manifest.subject.digest : undefined;
  }
  const tagged = SIG_TAG.exec(pushed.tag ?? '');
  const layers = Array.isArray(manifest.layers) ? (manifest.layers as Array<{ mediaType?: unknown }>) : [];
  if (tagged && layers.some((layer) => layer?.mediaType === SIMPLE_SIGNING_MEDIA_TYPE)) return `sha256:${tagged[1]}`;
  return undefined;
}
