import { z } from 'zod';
import { CosignError } from './errors.js';

/**
 * The cosign scheme's configuration (its section of the verification policy): named trust roots, each either a
 * public key (keyed signing) or a Sigstore trusted root plus the identities allowed to sign (keyless signing).
 * Validated with every problem listed by path; file paths are resolved against SchemeDeps.baseDir.
 */
const fileRef = z.strictObject({ file: z.string().min(1) });
const threshold = (min: number) => z.strictObject({ threshold: z.number().int().min(min).max(8) });

const anchoredRegExp = z.string().min(1).max(1024).check((ctx) => {
  try {
    new RegExp(ctx.value, 'u');
  } catch (error) {
    ctx.issues.push({ code: 'custom', input: ctx.value, message: `not a valid regular expression: ${(error as Error).message}` });
  }
});

const identity = z
  .strictObject({
    issuer: z.string().min(1).max(1024).optional(),
    issuerRegExp: anchoredRegExp.optional(),
    subject: z.string().min(1).max(1024).optional(),
    subjectRegExp: anchoredRegExp.optional(),
  })
  .check((ctx) => {
    const v = ctx.value;
    if ((v.issuer === undefined) === (v.issuerRegExp === undefined)) ctx.issues.push({ code: 'custom', input: v, message: 'give exactly one of issuer, issuerRegExp' });
    if ((v.subject === undefined) === (v.subjectRegExp === undefined)) ctx.issues.push({ code: 'custom', input: v, message: 'give exactly one of subject, subjectRegExp' });
  });

const keyVaultKey = z.strictObject({
  /** https://<vault>.vault.azure.net (plain http only on loopback, for tests). */
  vaultUrl: z.string().regex(/^(https:\/\/[^/?#]+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?)\/?$/, 'an https vault URL such as https://myvault.vault.azure.net'),
  name: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, 'a Key Vault key name'),
  /** Pin one version; without it the current version is read and followed on refresh. */
  version: z.string().regex(/^[A-Za-z0-9]{1,64}$/).optional(),
  /** Seconds between re-reads of the key (rotation). */
  refreshSeconds: z.number().int().min(60).max(86_400).default(3600),
});

const keyedRoot = z
  .strictObject({
    /** PEM text inline, or a file holding it. */
    publicKey: z.union([z.string().min(1), fileRef], { error: 'give the PEM text or {"file": "<path>"}' }).optional(),
    /** Or the public part of an Azure Key Vault key. */
    keyVault: keyVaultKey.optional(),
    /** Digest the signer hashed the payload with (cosign uses SHA-256 unless told otherwise). Ignored for Ed25519. */
    hashAlgorithm: z.enum(['sha256', 'sha384', 'sha512']).default('sha256'),
    /** Trusted root whose Rekor keys (and TSAs) check a keyed signature's tlog entries and timestamps. */
    trustedRoot: fileRef.optional(),
    /** Rekor entries required (0: entries are ignored unless trustedRoot is given, then any present must verify). */
    tlog: threshold(0).default({ threshold: 0 }),
  })
  .check((ctx) => {
    if ((ctx.value.publicKey === undefined) === (ctx.value.keyVault === undefined)) ctx.issues.push({ code: 'custom', input: ctx.value, message: 'give exactly one of publicKey, keyVault (or keyless for a keyless root)' });
    if (ctx.value.tlog.threshold > 0 && !ctx.value.trustedRoot) ctx.issues.push({ code: 'custom', input: ctx.value, path: ['tlog', 'threshold'], message: 'a tlog threshold above 0 needs trustedRoot (the Rekor keys)' });
  });

const keylessRoot = z.strictObject({
  keyless: z.strictObject({
    trustedRoot: fileRef,
    identities: z.array(identity).min(1).max(64),
    /** Rekor entries required (SET or inclusion proof). */
    tlog: threshold(0).default({ threshold: 1 }),
    /** Signed certificate timestamps required from the trusted root's CT logs. */
    ctlog: threshold(0).default({ threshold: 0 }),
    /** Trusted signing times required (Rekor SET or RFC 3161); at least one, so the certificate is checked at a time. */
    timestamps: threshold(1).default({ threshold: 1 }),
  }),
});

const ROOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const envelope = z.strictObject({ trustRoots: z.record(z.string(), z.unknown()) });

export interface CosignConfig {
  trustRoots: Record<string, KeyedRootConfig | { keyless: KeylessRootConfig }>;
}
export type KeyedRootConfig = z.infer<typeof keyedRoot>;
export type KeylessRootConfig = z.infer<typeof keylessRoot>['keyless'];
export type IdentityConfig = z.infer<typeof identity>;

/**
 * Validates the configuration; throws ERR_COSIGN_CONFIG listing every problem as `path: message`. Each root is
 * checked against the schema its shape asks for (`keyless` or `publicKey`), so messages name the real field.
 */
export function parseCosignConfig(input: unknown): CosignConfig {
  const problems: string[] = [];
  const outer = envelope.safeParse(input);
  if (!outer.success) problems.push(...outer.error.issues.map((issue) => describe([], issue)));
  const given = typeof input === 'object' && input !== null ? (input as { trustRoots?: unknown }).trustRoots : undefined;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw configError(problems);
  const trustRoots: CosignConfig['trustRoots'] = {};
  const entries = Object.entries(given);
  if (entries.length === 0) problems.push('trustRoots: name at least one trust root');
  for (const [name, value] of entries) {
    if (!ROOT_NAME.test(name)) problems.push(`trustRoots.${name}: a trust root name is 1-64 of A-Z a-z 0-9 . _ - and starts with a letter or digit`);
    const schema = typeof value === 'object' && value !== null && 'keyless' in value ? keylessRoot : keyedRoot;
    const parsed = schema.safeParse(value);
    if (parsed.success) trustRoots[name] = parsed.data;
    else problems.push(...parsed.error.issues.map((issue) => describe(['trustRoots', name], issue)));
  }
  if (problems.length > 0) throw configError(problems);
  return { trustRoots };
}

function describe(prefix: string[], issue: z.core.$ZodIssue): string {
  const path = [...prefix, ...issue.path.map(String)].join('.');
  return `${path || '(cosign)'}: ${issue.message}`;
}

function configError(problems: string[]): CosignError {
  return new CosignError('ERR_COSIGN_CONFIG', `cosign configuration: ${problems.join('; ')}`, { details: { problems } });
}

export function isKeylessRoot(root: KeyedRootConfig | { keyless: KeylessRootConfig }): root is { keyless: KeylessRootConfig } {
  return 'keyless' in root;
}
