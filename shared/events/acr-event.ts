import { z } from 'zod';
import {
  DIGEST_HEX_LENGTH, DIGEST_PATTERN, MAX_REPOSITORY_LENGTH, REGISTRY_HOST_PATTERN, REPOSITORY_PATTERN, TAG_PATTERN,
} from './constants.js';

/** An image (manifest) push or delete in Azure Container Registry, whichever schema delivered it. */
export interface AcrImageEvent {
  /** The Event Grid event id (deduplicate on it: delivery is at-least-once). */
  id: string;
  type: 'ImagePushed' | 'ImageDeleted';
  /** `data.request.host`, lowercased: the registry login server. */
  registry: string;
  repository: string;
  /** Manifest digest. A signature push looks like any other manifest push: no subject or artifactType here. */
  digest: string;
  /** Manifest media type (ImageDeleted may omit it). */
  mediaType?: string;
  /** Absent for a push by digest and for deletes. */
  tag?: string;
  /** Manifest size in bytes (absent on ImageDeleted). */
  size?: number;
  /** RFC 3339 (normalised to milliseconds, UTC): when the registry acted (`data.timestamp`, else the event time). */
  timestamp: string;
}

function isValidDigest(digest: string): boolean {
  if (!DIGEST_PATTERN.test(digest)) return false;
  const [algorithm = '', encoded = ''] = digest.split(':');
  const hexLength = DIGEST_HEX_LENGTH[algorithm];
  // Only the algorithms the registry client verifies: an md5:/sha384: digest can never be fetched and checked, so the
  // event is poison (dropped once), not a failure Event Grid would retry 30 times.
  return hexLength !== undefined && new RegExp(`^[a-f0-9]{${hexLength}}$`).test(encoded);
}

/**
 * The part of ACR's event data trustgate relies on (ContainerRegistryEventData in @azure/eventgrid);
 * other fields (actor, source, url, length, …) pass through unchecked.
 */
export const acrImageEventDataSchema = z.looseObject({
  timestamp: z.string().optional(),
  target: z.looseObject({
    mediaType: z.string().min(1).max(255).optional(),
    size: z.number().int().nonnegative().optional(),
    digest: z.string().refine(isValidDigest, 'not an OCI digest'),
    repository: z.string().max(MAX_REPOSITORY_LENGTH).regex(REPOSITORY_PATTERN, 'not an OCI repository name'),
    tag: z.string().refine((tag) => tag === '' || TAG_PATTERN.test(tag), 'not an OCI tag').optional(),
  }),
  request: z.looseObject({
    host: z.string().regex(REGISTRY_HOST_PATTERN, 'not a registry host'),
  }),
});

export type AcrImageEventData = z.infer<typeof acrImageEventDataSchema>;

/** Builds the event from validated data; `eventTime` is the envelope's time, used when data has none. */
export function toAcrImageEvent(id: string, type: AcrImageEvent['type'], data: AcrImageEventData, eventTime: string): AcrImageEvent {
  const { target } = data;
  const actedAt = data.timestamp === undefined ? Number.NaN : Date.parse(data.timestamp);
  const timestamp = Number.isFinite(actedAt) ? new Date(actedAt).toISOString() : eventTime;
  return {
    id,
    type,
    registry: data.request.host.toLowerCase(),
    repository: target.repository,
    digest: target.digest,
    ...(target.mediaType !== undefined ? { mediaType: target.mediaType } : {}),
    ...(target.tag !== undefined && target.tag !== '' ? { tag: target.tag } : {}),
    ...(target.size !== undefined ? { size: target.size } : {}),
    timestamp,
  };
}
