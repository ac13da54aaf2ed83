import { z } from 'zod';
import { DctError, DCT_CODES } from './errors.js';
import { tufKeySchema } from './metadata.js';
import { pinRootKeys } from './pinned-root.js';
import type { PinnedRoot, RootKeyConfig } from './pinned-root.js';

/** Docker Hub keeps its trust data on a separate Notary server; everyone else serves it from the registry host. */
const DEFAULT_SERVERS: Readonly<Record<string, string>> = { 'docker.io': 'https://notary.docker.io' };
const DEFAULT_TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const serverUrl = z.string().refine((text) => {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) && url.username === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}, 'must be an https URL without credentials, query or fragment (http only on loopback)');

const rootKey = z.union([
  z.string().regex(/^[a-f0-9]{64}$/, 'a 64-hex key id'),
  z.string().startsWith('-----BEGIN CERTIFICATE-----', 'a key id or a PEM certificate'),
  tufKeySchema,
]);

const roleName = z.string().regex(/^targets(\/[a-zA-Z0-9_-][a-zA-Z0-9_.-]*)*$/, 'targets or a targets/… delegation name');

const trustRootSchema = z.strictObject({
  rootKeys: z.array(rootKey).min(1).max(16),
  rootThreshold: z.number().int().min(1).max(16).optional(),
  requiredRoles: z.array(roleName).max(16).optional(),
  server: serverUrl.optional(),
  repositories: z.array(z.string().min(1).max(512)).max(256).optional(),
});

const configSchema = z.strictObject({
  trustRoots: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'trust root names are 1-64 of [A-Za-z0-9_.-]'), trustRootSchema),
  servers: z.record(z.string().min(1).max(255), serverUrl).optional(),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
});

export interface DctTrustRoot {
  name: string;
  pinned: PinnedRoot;
  requiredRoles: readonly string[];
  server?: string;
  /** `registry/repository` patterns; a trailing `*` matches any suffix. */
  repositories: readonly string[];
}

export interface DctConfig {
  trustRoots: DctTrustRoot[];
  servers: Readonly<Record<string, string>>;
  timeoutMs: number;
}

/** Validates the scheme's policy section; every problem is listed by path in one ERR_DCT_CONFIG. */
export function parseDctConfig(input: unknown): DctConfig {
  const result = configSchema.safeParse(input);
  const issues = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(dct)'}: ${issue.message}`);
  if (!result.success) throw configError(issues);
  const trustRoots: DctTrustRoot[] = [];
  for (const [name, root] of Object.entries(result.data.trustRoots)) {
    let pinned: PinnedRoot | undefined;
    try {
      pinned = pinRootKeys(root.rootKeys as RootKeyConfig[], root.rootThreshold ?? 1);
    } catch (error) {
      issues.push(`trustRoots.${name}.rootKeys: ${(error as Error).message}`);
    }
    if ((root.rootThreshold ?? 1) > root.rootKeys.length) issues.push(`trustRoots.${name}.rootThreshold: exceeds the number of root keys`);
    if (!pinned) continue;
    trustRoots.push({
      name,
      pinned,
      requiredRoles: root.requiredRoles ?? [],
      ...(root.server === undefined ? {} : { server: root.server }),
      repositories: root.repositories ?? ['*'],
    });
  }
  if (issues.length > 0) throw configError(issues);
  return { trustRoots, servers: { ...DEFAULT_SERVERS, ...(result.data.servers ?? {}) }, timeoutMs: result.data.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

function configError(issues: string[]): DctError {
  return new DctError(DCT_CODES.config, 'config', `invalid dct configuration: ${issues.join('; ')}`, { details: { issues } });
}

/** True when a trust root's repository patterns cover `registry/repository`. */
export function covers(root: DctTrustRoot, name: string): boolean {
  return root.repositories.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name));
}

/** The trust server of a registry host: the trust root's, a configured mapping, or `https://<registry host>`. */
export function trustServerFor(config: DctConfig, root: DctTrustRoot, registry: string): URL {
  return new URL(root.server ?? (Object.hasOwn(config.servers, registry) ? config.servers[registry] : undefined) ?? `https://${registry}`);
}
