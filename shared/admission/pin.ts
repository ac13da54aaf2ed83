import { pinnedImage, type PinMode } from './image-ref.js';
import type { ImageVerdict } from './verify-images.js';
import type { ImageSite } from './workloads.js';

/** One RFC 6902 operation; pinning only ever replaces an existing `image` value. */
export interface JsonPatchReplace {
  op: 'replace';
  path: string;
  value: string;
}

/**
 * JSON Patch that rewrites each verified image to its digest, so the runtime pulls exactly what was verified
 * (Connaisseur's approach). Sites whose image did not verify, or was not verified (excluded, unchanged), are left alone.
 */
export function pinPatch(sites: readonly ImageSite[], verdicts: ReadonlyMap<string, ImageVerdict>, mode: PinMode): JsonPatchReplace[] {
  const patch: JsonPatchReplace[] = [];
  for (const site of sites) {
    const verdict = verdicts.get(site.image);
    if (verdict?.decision !== 'allow' || verdict.digest === undefined) continue;
    const value = pinnedImage(site.image, verdict.digest, mode);
    if (value !== site.image) patch.push({ op: 'replace', path: site.pointer, value });
  }
  return patch;
}
