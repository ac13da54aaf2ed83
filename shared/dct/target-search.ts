import { DctError } from './errors.js';
import { DCT_CODES } from './errors.js';
import type { FileMeta, TargetsMeta } from './metadata.js';
import { isDelegationName, targetsSchema } from './metadata.js';
import { checkFreshness, loadRole, versionKey } from './role-loader.js';
import type { GunSource, LoadedRole } from './role-loader.js';
import { roleKeyring, verifyThreshold } from './signatures.js';
import type { TrustChain } from './trust-chain.js';

/** Bounds on the delegation walk: Notary allows deep trees; images use `targets/releases` and signer roles. */
const MAX_ROLES = 64;
const MAX_DEPTH = 4;

/** What one role says about the target(s) looked for, or why it could not be trusted. */
export interface RoleFinding {
  role: string;
  /** The target's name and signed meta, when the role is verified and lists a matching target. */
  target?: { name: string; meta: FileMeta };
  /** Key ids that signed the role (verified roles). */
  signers: string[];
  version?: number;
  /** A delegated role that covers the target but failed verification (unknown key, threshold, expired, rollback, tampered). */
  error?: DctError;
  /** Earliest expiry of the role and every role above it. */
  expiresAt: Date;
}

/** What to look for: a tag by name, or any target whose hash is the subject's digest. */
export type TargetQuery = { kind: 'tag'; tag: string } | { kind: 'digest'; matches: (meta: FileMeta) => boolean };

interface Pending {
  parent: LoadedRole<TargetsMeta>;
  parentPaths: readonly string[];
  depth: number;
  expiresAt: Date;
}

/**
 * Walks `targets` and its delegations (pre-order, in listed order) like Notary's client: a delegation must be a
 * direct child of its parent, is signed by keys and threshold its parent lists, only speaks for paths its parent
 * allows (paths are prefixes; a child's paths are cut to those inside the parent's), and must be in the snapshot.
 */
export async function searchTargets(source: GunSource, chain: TrustChain, query: TargetQuery, at: Date): Promise<RoleFinding[]> {
  const findings: RoleFinding[] = [];
  collect(findings, chain.targets, chain.targetsSigners, [''], query, chain.expiresAt);
  const stack: Pending[] = [{ parent: chain.targets, parentPaths: [''], depth: 0, expiresAt: chain.expiresAt }];
  let visited = 1;
  while (stack.length > 0 && visited < MAX_ROLES) {
    const { parent, parentPaths, depth, expiresAt } = stack.shift() as Pending;
    const delegations = parent.meta.delegations;
    if (!delegations || depth >= MAX_DEPTH) continue;
    for (const delegation of delegations.roles) {
      if (visited >= MAX_ROLES) break;
      if (!isDelegationName(delegation.name) || !isDirectChild(parent.name, delegation.name)) continue;
      const paths = (delegation.paths ?? []).filter((path) => parentPaths.some((allowed) => path.startsWith(allowed)));
      if (query.kind === 'tag' && !paths.some((path) => query.tag.startsWith(path))) continue;
      const signed = Object.hasOwn(chain.snapshot.meta.meta, delegation.name) ? chain.snapshot.meta.meta[delegation.name] : undefined;
      if (!signed) continue; // no metadata published for this role
      visited++;
      try {
        const role = await loadRole(source, delegation.name, targetsSchema, signed);
        const signers = verifyThreshold(role.envelope, roleKeyring(delegations.keys, delegation), delegation.threshold, delegation.name, DCT_CODES.delegationKey);
        checkFreshness(source, role, at);
        source.versions.record(versionKey(source), role.name, role.meta.version);
        const roleExpiry = new Date(Math.min(expiresAt.getTime(), role.expires.getTime()));
        collect(findings, role, signers, paths, query, roleExpiry);
        stack.push({ parent: role, parentPaths: paths, depth: depth + 1, expiresAt: roleExpiry });
      } catch (error) {
        if (!(error instanceof DctError) || error.kind !== 'verification-failed') throw error;
        findings.push({ role: delegation.name, signers: [], error, expiresAt });
      }
    }
  }
  return findings;
}

function collect(findings: RoleFinding[], role: LoadedRole<TargetsMeta>, signers: string[], paths: readonly string[], query: TargetQuery, expiresAt: Date): void {
  const allowed = (name: string) => paths.some((path) => name.startsWith(path));
  const base = { role: role.name, signers, version: role.meta.version, expiresAt };
  if (query.kind === 'tag') {
    const meta = Object.hasOwn(role.meta.targets, query.tag) ? role.meta.targets[query.tag] : undefined;
    if (meta && allowed(query.tag)) findings.push({ ...base, target: { name: query.tag, meta } });
    return;
  }
  for (const [name, meta] of Object.entries(role.meta.targets)) {
    if (allowed(name) && query.matches(meta)) findings.push({ ...base, target: { name, meta } });
  }
}

function isDirectChild(parent: string, child: string): boolean {
  return child.startsWith(`${parent}/`) && !child.slice(parent.length + 1).includes('/');
}
