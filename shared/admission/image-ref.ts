import { parseReference } from '../oci/index.js';

/** An image string from a pod spec, checked and normalised (`nginx` → `docker.io/library/nginx`). */
export type CheckedImage =
  | { ok: true; image: string; name: string; digest?: string }
  | { ok: false; image: string; message: string };

/** Image texts whose check is remembered (the same few images arrive in every review); oldest dropped first. */
const CHECKED_MEMO_ENTRIES = 4096;
const checked = new Map<string, CheckedImage>();

/** Parses an image reference the way the container runtime will; a malformed one is a value, not a throw. */
export function checkImage(image: string, container?: string): CheckedImage {
  if (image.trim() === '') return { ok: false, image, message: container ? `container "${container}" has no image` : 'a container has no image' };
  const known = checked.get(image);
  if (known !== undefined) return known;
  const result = parse(image);
  if (checked.size >= CHECKED_MEMO_ENTRIES) checked.delete(checked.keys().next().value as string);
  checked.set(image, Object.freeze(result));
  return result;
}

function parse(image: string): CheckedImage {
  try {
    const reference = parseReference(image);
    const name = `${reference.registry}/${reference.repository}`;
    return reference.digest === undefined ? { ok: true, image, name } : { ok: true, image, name, digest: reference.digest };
  } catch (error) {
    return { ok: false, image, message: error instanceof Error ? error.message : 'malformed image reference' };
  }
}

/** How the mutating webhook rewrites a verified image. */
export type PinMode = 'tag-digest' | 'digest';

/**
 * The reference that runs exactly the verified manifest: `repo:tag@digest` (the tag stays for humans; runtimes pull
 * by the digest) or `repo@digest`. The caller's spelling of the repository is kept, so the patch changes only the pin.
 */
export function pinnedImage(image: string, digest: string, mode: PinMode): string {
  const at = image.indexOf('@');
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  switch (mode) {
    case 'tag-digest':
      return `${withoutDigest}@${digest}`;
    case 'digest': {
      const lastSlash = withoutDigest.lastIndexOf('/');
      const tagColon = withoutDigest.indexOf(':', lastSlash + 1);
      return `${tagColon === -1 ? withoutDigest : withoutDigest.slice(0, tagColon)}@${digest}`;
    }
  }
}
