import { z } from 'zod';
import { DCT_CODES, failed } from './errors.js';

/**
 * The shapes of Notary v1 TUF metadata (theupdateframework/notary tuf/data): pre-1.0 TUF, roles `root`,
 * `timestamp`, `snapshot`, `targets` and `targets/…` delegations; meta keyed by role name; hashes base64.
 * Unknown fields are kept (they are signed) but not read.
 */
const keyIds = z.array(z.string().regex(/^[a-f0-9]{64}$/)).max(64);
const threshold = z.number().int().min(1).max(64);

export const tufKeySchema = z.object({
  keytype: z.string().max(40),
  keyval: z.object({ public: z.string().min(1).max(16_384), private: z.null().optional() }),
});

export const fileMetaSchema = z.object({
  length: z.number().int().min(0),
  hashes: z.record(z.string().max(20), z.string().max(200)),
});
export type FileMeta = z.infer<typeof fileMetaSchema>;

const common = {
  version: z.number().int().min(0),
  expires: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/, 'not an RFC 3339 time'),
};

const roleKeys = z.object({ keyids: keyIds, threshold });

export const rootSchema = z.object({
  _type: z.literal('Root'),
  ...common,
  keys: z.record(z.string(), tufKeySchema),
  roles: z.object({ root: roleKeys, targets: roleKeys, snapshot: roleKeys, timestamp: roleKeys }),
});
export type RootMeta = z.infer<typeof rootSchema>;

export const timestampSchema = z.object({ _type: z.literal('Timestamp'), ...common, meta: z.object({ snapshot: fileMetaSchema }) });
export type TimestampMeta = z.infer<typeof timestampSchema>;

export const snapshotSchema = z.object({ _type: z.literal('Snapshot'), ...common, meta: z.record(z.string(), fileMetaSchema) });
export type SnapshotMeta = z.infer<typeof snapshotSchema>;

export const delegationSchema = z.object({
  name: z.string().max(255),
  keyids: keyIds,
  threshold,
  paths: z.array(z.string().max(1024)).max(1024).optional(),
  path_hash_prefixes: z.array(z.string()).max(1024).optional(),
});
export type DelegationMeta = z.infer<typeof delegationSchema>;

export const targetsSchema = z.object({
  _type: z.literal('Targets'),
  ...common,
  targets: z.record(z.string(), fileMetaSchema),
  delegations: z.object({ keys: z.record(z.string(), tufKeySchema), roles: z.array(delegationSchema).max(256) }).optional(),
});
export type TargetsMeta = z.infer<typeof targetsSchema>;

export const envelopeSchema = z.object({
  signed: z.record(z.string(), z.unknown()),
  signatures: z.array(z.object({ keyid: z.string().max(64), method: z.string().max(40), sig: z.string().max(4096) })).max(64),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** Parses `value` with `schema` or throws ERR_DCT_MALFORMED_METADATA naming the first problem. */
export function parseMeta<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw failed(DCT_CODES.malformed, `${what}: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'invalid'}`);
}

/** The instant a role expires (Go writes nanoseconds; milliseconds are kept). */
export function expiresAt(meta: { expires: string }): Date {
  return new Date(meta.expires);
}

/** Notary's delegation role names: `targets/` then clean path segments of [a-zA-Z0-9_.-] (tuf/data/roles.go). */
export function isDelegationName(name: string): boolean {
  if (!name.startsWith('targets/') || name.length > 255) return false;
  return name
    .slice('targets/'.length)
    .split('/')
    .every((segment) => /^[a-zA-Z0-9_-][a-zA-Z0-9_.-]*$/.test(segment) && segment !== '.' && segment !== '..');
}
