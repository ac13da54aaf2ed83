import type { RepositoryRef } from '../oci/index.js';
import { isRecord, parseBoundedJson } from './bounded-json.js';
import { LIMITS, SIMPLE_SIGNING_TYPE } from './constants.js';
import { CosignError } from './errors.js';

/** What a simple-signing payload claims (containers/image "simple signing" as cosign writes it). */
export interface SimpleSigningClaim {
  manifestDigest: string;
  dockerReference?: string;
}

/** Parses `{critical: {identity: {docker-reference}, image: {docker-manifest-digest}, type}, optional}`. */
export function parseSimpleSigning(bytes: Uint8Array): SimpleSigningClaim {
  const json = parseBoundedJson(bytes, LIMITS.payloadBytes, 'simple-signing payload');
  const critical = isRecord(json) ? json.critical : undefined;
  const image = isRecord(critical) ? critical.image : undefined;
  const identity = isRecord(critical) ? critical.identity : undefined;
  const digest = isRecord(image) ? image['docker-manifest-digest'] : undefined;
  if (!isRecord(critical) || critical.type !== SIMPLE_SIGNING_TYPE || typeof digest !== 'string') {
    throw new CosignError('ERR_COSIGN_MALFORMED', `payload is not a cosign simple-signing document (critical.type "${SIMPLE_SIGNING_TYPE}", critical.image.docker-manifest-digest)`);
  }
  const reference = isRecord(identity) ? identity['docker-reference'] : undefined;
  return { manifestDigest: digest, ...(typeof reference === 'string' ? { dockerReference: reference.slice(0, LIMITS.displayChars) } : {}) };
}

/**
 * Whether the payload's docker-reference names the repository being verified. cosign writes the repository
 * (`registry/repo`, no tag); a tag or digest suffix is tolerated. Docker Hub's implicit names are normalised.
 */
export function referenceMatches(dockerReference: string, repository: RepositoryRef): boolean {
  const bare = dockerReference.replace(/@sha256:[0-9a-f]{64}$/, '').replace(/:[\w][\w.-]{0,127}$/, '');
  return normalise(bare) === normalise(`${repository.registry}/${repository.repository}`);
}

function normalise(name: string): string {
  const lower = name.toLowerCase().replace(/^(registry-1\.docker\.io|index\.docker\.io)\//, 'docker.io/');
  return lower.startsWith('docker.io/') && !lower.slice('docker.io/'.length).includes('/') ? lower.replace('docker.io/', 'docker.io/library/') : lower;
}
