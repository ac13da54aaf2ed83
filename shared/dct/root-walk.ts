import { createHash } from 'node:crypto';
import { DctError, DCT_CODES, failed } from './errors.js';
import { rootSchema } from './metadata.js';
import type { RootMeta } from './metadata.js';
import type { PinnedRoot } from './pinned-root.js';
import { ROOT_MAX_BYTES, loadRole, readRole, versionKey } from './role-loader.js';
import type { GunSource, LoadedRole } from './role-loader.js';
import { roleKeyring, verifyThreshold } from './signatures.js';

/** Longest root history walked (Notary keeps every root version; rotations are rare). */
export const MAX_ROOT_VERSIONS = 64;
const MAX_REMEMBERED = 1024;

/** Verified walks, by server, gun, current root bytes and pins: the walk is a pure function of those. */
const remembered = new Map<string, string[]>();

/**
 * TUF root rotation for a root.json the pinned keys did not sign: walks the versioned roots Notary serves
 * (`<n>.root.json`) from the first one the pinned keys signed, each next version signed by its predecessor's root
 * role and by its own, up to the current root.json. Intermediate roots may have expired (TUF). Returns the pinned
 * key ids that signed the start of the chain; refuses with ERR_DCT_ROOT_NOT_PINNED when no such chain exists.
 */
export async function walkRootRotations(source: GunSource, current: LoadedRole<RootMeta>, pinned: PinnedRoot, verifyPinned: (root: LoadedRole<RootMeta>) => string[]): Promise<string[]> {
  const cacheKey = `${versionKey(source)} ${createHash('sha256').update(current.bytes).digest('hex')} ${[...pinned.ids].sort().join(',')} ${pinned.threshold}`;
  const known = remembered.get(cacheKey);
  if (known) return known;
  const last = current.meta.version;
  if (last > MAX_ROOT_VERSIONS) throw failed(DCT_CODES.wrongRoot, `root.json is not signed by the pinned keys and its history (${last} versions) is longer than ${MAX_ROOT_VERSIONS}`);
  let trusted: LoadedRole<RootMeta> | undefined;
  let signers: string[] = [];
  for (let version = 1; version < last; version++) {
    const role = `${version}.root`;
    const read = await readRole(source, role, ROOT_MAX_BYTES, false);
    if (!read.found) continue; // a gap is fine until a pinned start is found; after it, the next check fails
    const root = await loadRole(source, role, rootSchema, undefined, ROOT_MAX_BYTES);
    if (root.meta.version !== version) throw failed(DCT_CODES.tampered, `${role}.json says it is version ${root.meta.version}`);
    if (trusted) {
      signedByPredecessor(root, trusted);
      trusted = root;
    } else {
      const start = tryPinned(root, verifyPinned);
      if (start) [trusted, signers] = [root, start];
    }
  }
  if (!trusted) throw failed(DCT_CODES.wrongRoot, 'neither root.json nor any earlier root version is signed by the pinned keys');
  signedByPredecessor(current, trusted);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(cacheKey, signers);
  return signers;
}

/** A rotation step: the new root must satisfy the previous root's root role and its own. */
function signedByPredecessor(root: LoadedRole<RootMeta>, previous: LoadedRole<RootMeta>): void {
  if (root.meta.version !== previous.meta.version + 1) throw failed(DCT_CODES.wrongRoot, `root history has a gap before version ${root.meta.version}`);
  const roles = previous.meta.roles.root;
  verifyThreshold(root.envelope, roleKeyring(previous.meta.keys, roles), roles.threshold, `root v${root.meta.version} (by v${previous.meta.version} keys)`, DCT_CODES.wrongRoot);
  verifyThreshold(root.envelope, roleKeyring(root.meta.keys, root.meta.roles.root), root.meta.roles.root.threshold, `root v${root.meta.version}`, DCT_CODES.tampered);
}

function tryPinned(root: LoadedRole<RootMeta>, verifyPinned: (root: LoadedRole<RootMeta>) => string[]): string[] | undefined {
  try {
    return verifyPinned(root);
  } catch (error) {
    if (error instanceof DctError && error.code === DCT_CODES.wrongRoot) return undefined;
    throw error;
  }
}
