import { parseBoundedJson } from './bounded-json.js';
import { DCT_CODES, failed, inconclusive } from './errors.js';
import { checkFileMeta } from './meta-hashes.js';
import { envelopeSchema, expiresAt, parseMeta } from './metadata.js';
import type { Envelope, FileMeta } from './metadata.js';
import type { TrustFetcher, TrustRead } from './trust-fetch.js';
import type { VersionMemory } from './version-memory.js';
import type { z } from 'zod';

/** Hard caps for files whose length no signed parent gives. */
export const ROOT_MAX_BYTES = 512 * 1024;
export const TIMESTAMP_MAX_BYTES = 64 * 1024;
/** No signed length may lift a read above this. */
export const ROLE_MAX_BYTES = 16 * 1024 * 1024;

/** One trust server and gun, for one verification: reads are shared by every trust root that checks this gun. */
export interface GunSource {
  server: URL;
  gun: string;
  fetcher: TrustFetcher;
  versions: VersionMemory;
  signal: AbortSignal;
  /** Token scope to ask for when the challenge names none. */
  scope: string;
  /** Raw reads of this verification, by role. */
  reads: Map<string, Promise<TrustRead>>;
}

export interface LoadedRole<T> {
  name: string;
  bytes: Buffer;
  envelope: Envelope;
  meta: T;
  expires: Date;
}

/** `https://server/v2/<gun>/_trust/tuf/<role>.json` (role names may hold slashes: `targets/releases`). */
export function roleUrl(source: GunSource, role: string): URL {
  const base = source.server.href.replace(/\/+$/, '');
  return new URL(`${base}/v2/${source.gun}/_trust/tuf/${role}.json`);
}

export function readRole(source: GunSource, role: string, maxBytes: number, signedLength: boolean): Promise<TrustRead> {
  const key = `${role} ${maxBytes}`;
  let read = source.reads.get(key);
  if (!read) {
    read = source.fetcher.read(roleUrl(source, role), maxBytes, source.signal, source.scope, signedLength);
    source.reads.set(key, read);
  }
  return read;
}

/**
 * Fetches a role, checks it against the length/hashes its parent signed (when given), parses envelope and body,
 * Signatures, then freshness (checkFreshness), are the caller's: whose keys apply depends on the parent.
 */
export async function loadRole<T extends { version: number; expires: string }>(source: GunSource, role: string, schema: z.ZodType<T>, signed?: FileMeta, hardCap?: number): Promise<LoadedRole<T>> {
  if (signed && signed.length > ROLE_MAX_BYTES) throw failed(DCT_CODES.malformed, `${role} is signed as ${signed.length} bytes, over the ${ROLE_MAX_BYTES}-byte limit`);
  const read = await readRole(source, role, signed ? signed.length : (hardCap ?? ROLE_MAX_BYTES), signed !== undefined);
  if (!read.found) {
    if (role === 'root') throw failed(DCT_CODES.noTrustData, `the trust server has no trust data for ${source.gun}`);
    throw inconclusive(`the trust server has no ${role}.json for ${source.gun} although its parent lists it`);
  }
  if (signed) checkFileMeta(read.bytes, signed, `${role}.json`);
  const envelope = parseMeta(envelopeSchema, parseBoundedJson(read.bytes, `${role}.json`), `${role}.json`);
  const meta = parseMeta(schema, envelope.signed, `${role}.json signed`);
  return { name: role, bytes: read.bytes, envelope, meta, expires: expiresAt(meta) };
}

/** After its signatures verified: refuses an expired role or one older than a version seen before. */
export function checkFreshness(source: GunSource, role: LoadedRole<{ version: number; expires: string }>, at: Date): void {
  if (!(role.expires.getTime() > at.getTime())) throw failed(DCT_CODES.expired, `${role.name} expired at ${role.meta.expires}`, { role: role.name, expires: role.meta.expires });
  source.versions.check(versionKey(source), role.name, role.meta.version);
}

export function versionKey(source: GunSource): string {
  return `${source.server.origin} ${source.gun}`;
}
