import { createHash } from 'node:crypto';
import type { BlobTrustPolicyDocument, TrustPolicyDocument } from './types.js';

/**
 * SHA-256 (lowercase hex) of the document's canonical JSON (keys sorted, no whitespace), for verdict cache
 * keys: two documents with the same meaning-bearing content hash equally whatever their formatting.
 */
export function fingerprintPolicy(document: TrustPolicyDocument | BlobTrustPolicyDocument): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
