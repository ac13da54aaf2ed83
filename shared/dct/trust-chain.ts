import { DctError, DCT_CODES, failed } from './errors.js';
import { walkRootRotations } from './root-walk.js';
import { parseTufKey } from './keys.js';
import type { PublicTufKey } from './keys.js';
import { rootSchema, snapshotSchema, targetsSchema, timestampSchema } from './metadata.js';
import type { RootMeta, SnapshotMeta, TargetsMeta } from './metadata.js';
import type { PinnedRoot } from './pinned-root.js';
import { ROOT_MAX_BYTES, TIMESTAMP_MAX_BYTES, checkFreshness, loadRole, versionKey } from './role-loader.js';
import type { GunSource, LoadedRole } from './role-loader.js';
import { checkFileMeta } from './meta-hashes.js';
import { roleKeyring, verifyThreshold } from './signatures.js';

const MAX_ROOT_KEYS = 64;

/** A verified top of the chain: root (pinned), timestamp, snapshot and the top-level targets role. */
export interface TrustChain {
  root: LoadedRole<RootMeta>;
  /** Pinned key ids that signed root.json (canonical ids). */
  rootSigners: string[];
  snapshot: LoadedRole<SnapshotMeta>;
  targets: LoadedRole<TargetsMeta>;
  targetsSigners: string[];
  /** Earliest expiry of root, its signing certificates, timestamp, snapshot and targets. */
  expiresAt: Date;
}

/**
 * Verifies root → timestamp → snapshot → targets for one gun under one pinned root. root.json must satisfy its own
 * root role and be signed by the pinned keys (Notary signs a rotation with the old root key too, and keeps it in
 * `keys`); when it is not, the versioned roots are walked from one the pinned keys signed (root-walk.ts), else
 * ERR_DCT_ROOT_NOT_PINNED. Each later role: the keys and threshold root assigns it, unexpired, not older than seen
 * before, and matching the length and hashes its parent signed.
 */
export async function loadTrustChain(source: GunSource, pinned: PinnedRoot, at: Date): Promise<TrustChain> {
  const root = await loadRole(source, 'root', rootSchema, undefined, ROOT_MAX_BYTES);
  verifySelf(root);
  let rootSigners: string[];
  try {
    rootSigners = verifyPinned(root, pinned);
  } catch (error) {
    if (!(error instanceof DctError) || error.code !== DCT_CODES.wrongRoot) throw error;
    rootSigners = await walkRootRotations(source, root, pinned, (earlier) => {
      verifySelf(earlier);
      return verifyPinned(earlier, pinned);
    });
  }
  const certificateExpiry = rootCertificateExpiry(root, at);
  checkFreshness(source, root, at);

  const timestamp = await loadRole(source, 'timestamp', timestampSchema, undefined, TIMESTAMP_MAX_BYTES);
  verifyThreshold(timestamp.envelope, roleKeyring(root.meta.keys, root.meta.roles.timestamp), root.meta.roles.timestamp.threshold, 'timestamp', DCT_CODES.tampered);
  checkFreshness(source, timestamp, at);

  const snapshot = await loadRole(source, 'snapshot', snapshotSchema, timestamp.meta.meta.snapshot);
  verifyThreshold(snapshot.envelope, roleKeyring(root.meta.keys, root.meta.roles.snapshot), root.meta.roles.snapshot.threshold, 'snapshot', DCT_CODES.tampered);
  checkFreshness(source, snapshot, at);
  // The snapshot pins the root it was made with: a root from another snapshot is a mix-and-match.
  const rootMeta = Object.hasOwn(snapshot.meta.meta, 'root') ? snapshot.meta.meta.root : undefined;
  if (rootMeta) checkFileMeta(root.bytes, rootMeta, 'root.json');

  const targetsMeta = Object.hasOwn(snapshot.meta.meta, 'targets') ? snapshot.meta.meta.targets : undefined;
  if (!targetsMeta) throw failed(DCT_CODES.malformed, 'snapshot does not list the targets role');
  const targets = await loadRole(source, 'targets', targetsSchema, targetsMeta);
  const targetsSigners = verifyThreshold(targets.envelope, roleKeyring(root.meta.keys, root.meta.roles.targets), root.meta.roles.targets.threshold, 'targets', DCT_CODES.tampered);
  checkFreshness(source, targets, at);

  for (const role of [root, timestamp, snapshot, targets]) source.versions.record(versionKey(source), role.name, role.meta.version);
  const expiries = [root.expires, timestamp.expires, snapshot.expires, targets.expires, ...(certificateExpiry ? [certificateExpiry] : [])];
  return { root, rootSigners, snapshot, targets, targetsSigners, expiresAt: new Date(Math.min(...expiries.map((d) => d.getTime()))) };
}

/** Self-consistency first: a modified root.json fails its own root role (tampered), before any pin is looked at. */
function verifySelf(root: LoadedRole<RootMeta>): void {
  const keys = root.meta.keys;
  if (Object.keys(keys).length > MAX_ROOT_KEYS) throw failed(DCT_CODES.malformed, `root.json lists more than ${MAX_ROOT_KEYS} keys`);
  verifyThreshold(root.envelope, roleKeyring(keys, root.meta.roles.root), root.meta.roles.root.threshold, 'root', DCT_CODES.tampered);
}

/** The pinned keys (found in root.json by id, or configured as material) must sign it: returns their canonical ids. */
function verifyPinned(root: LoadedRole<RootMeta>, pinned: PinnedRoot): string[] {
  const pinnedRing = new Map<string, PublicTufKey>();
  for (const [id, declared] of Object.entries(root.meta.keys)) {
    const key = parseTufKey(declared);
    if (key.id === id && (pinned.ids.has(key.id) || pinned.ids.has(key.canonicalId))) pinnedRing.set(id, key);
  }
  // After a rotation root.json may no longer list the pinned key; its configured material still verifies.
  for (const key of pinned.keys) if (!pinnedRing.has(key.id)) pinnedRing.set(key.id, key);
  if (pinnedRing.size === 0) throw failed(DCT_CODES.wrongRoot, `root v${root.meta.version} holds none of the pinned root keys`, { rootKeys: root.meta.roles.root.keyids });
  const signers = verifyThreshold(root.envelope, pinnedRing, pinned.threshold, `root v${root.meta.version} (pinned keys)`, DCT_CODES.wrongRoot);
  return signers.map((id) => pinnedRing.get(id)?.canonicalId ?? id);
}

/** x509 keys of the current root role must be inside their validity window; the earliest notAfter bounds the verdict. */
function rootCertificateExpiry(root: LoadedRole<RootMeta>, at: Date): Date | undefined {
  let earliest: Date | undefined;
  for (const key of roleKeyring(root.meta.keys, root.meta.roles.root).values()) {
    if (!key.notAfter || !key.notBefore) continue;
    if (key.notAfter.getTime() <= at.getTime() || key.notBefore.getTime() > at.getTime()) {
      throw failed(DCT_CODES.expired, `root key ${key.canonicalId} certificate is outside its validity window`, { notAfter: key.notAfter.toISOString() });
    }
    if (!earliest || key.notAfter < earliest) earliest = key.notAfter;
  }
  return earliest;
}
