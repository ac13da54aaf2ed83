import type { AdmissionSettings } from '../admission/index.js';
import { loadAdmissionSettings } from './admission-settings.js';
import { loadAzureSettings, type AzureSettings } from './azure-settings.js';
import { choice, configError, hostList, integer, json, text, type Env } from './env-values.js';

export { ConfigError, configError } from './env-values.js';

/** Every trustgate setting, typed. Read once from the environment (Azure app settings or local.settings.json Values). */
export interface Settings {
  /** TRUSTGATE_TRUST_POLICY: a file path or inline JSON of a Notation OCI trust policy. */
  trustPolicy: { kind: 'file'; path: string } | { kind: 'inline'; json: string };
  /**
   * TRUSTGATE_VERIFICATION_POLICY: a file path or inline JSON saying which evidence (schemes, trust roots) each scope
   * requires. Optional. Default: Notary wherever the Notation trust policy has a statement.
   */
  verificationPolicy: { kind: 'file'; path: string } | { kind: 'inline'; json: string } | undefined;
  /** TRUSTGATE_TRUST_STORE: a directory in Notation layout (x509/{ca,signingAuthority,tsa}/<name>/). */
  trustStoreDir: string | undefined;
  /** TRUSTGATE_TRUST_STORE_RECHECK_MS: how often the trust store directory is checked for changes. Default 2000. */
  trustStoreRecheckMs: number;
  /** TRUSTGATE_TRUST_STORE_INLINE: JSON {"ca:name": "PEM..." | ["PEM..."]}. */
  trustStoreInline: Record<string, string | string[]> | undefined;
  /** TRUSTGATE_PLAIN_HTTP: registry hosts (host[:port]) that may be reached over plain HTTP. */
  plainHttpRegistries: string[];
  /** TRUSTGATE_ALLOWED_REGISTRIES: hosts that may be contacted ("*" = any); default = the registries named in the trust policy's and the verification policy's scopes. */
  allowedRegistries: string[] | undefined;
  /** TRUSTGATE_PORT: the local host's port. Default 7071. */
  port: number;
  /** TRUSTGATE_MAX_SIGNATURES: signatures tried per artifact. Default 50. */
  maxSignatures: number;
  /** TRUSTGATE_REGISTRY_TIMEOUT_MS: per-request timeout for registry calls. Default 5000. */
  registryTimeoutMs: number;
  /** TRUSTGATE_VERDICT_MAX_AGE_S: cap on an allow verdict's lifetime in caches. Default 3600. */
  verdictMaxAgeSeconds: number;
  /** TRUSTGATE_DENY_MAX_AGE_S: lifetime of a deny verdict (a signature may follow the push). Default 60. */
  denyMaxAgeSeconds: number;
  /** TRUSTGATE_TAG_CACHE_S: how long a tag → digest resolution is reused. Default 30; 0 disables. */
  tagCacheSeconds: number;
  /** TRUSTGATE_CACHE_MAX_ENTRIES: memory-tier size. Default 10000. */
  cacheMaxEntries: number;
  /** TRUSTGATE_DOCKER_CONFIG: path of a Docker config.json with registry credentials. Optional. */
  dockerConfigPath: string | undefined;
  /** TRUSTGATE_LOG_LEVEL: debug|info|warn|error. Default info. */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** TRUSTGATE_ADMISSION_*, TRUSTGATE_MUTATE_PIN, TRUSTGATE_GATEKEEPER_*: the admission and Gatekeeper endpoints. */
  admission: AdmissionSettings;
  /** Table Storage, Key Vault, Event Grid, ACR sign-in and re-check settings. */
  azure: AzureSettings;
}

/** Parses settings; a wrong value fails with ERR_CONFIG naming the setting. */
export function loadSettings(env: Env): Settings {
  return {
    trustPolicy: trustPolicySetting(env),
    verificationPolicy: verificationPolicySetting(env),
    trustStoreDir: text(env, 'TRUSTGATE_TRUST_STORE'),
    trustStoreRecheckMs: integer(env, 'TRUSTGATE_TRUST_STORE_RECHECK_MS', 2000, 0, 3_600_000),
    trustStoreInline: inlineStores(env),
    plainHttpRegistries: hostList(env, 'TRUSTGATE_PLAIN_HTTP') ?? [],
    allowedRegistries: hostList(env, 'TRUSTGATE_ALLOWED_REGISTRIES'),
    port: integer(env, 'TRUSTGATE_PORT', 7071, 1, 65535),
    maxSignatures: integer(env, 'TRUSTGATE_MAX_SIGNATURES', 50, 1, 1000),
    registryTimeoutMs: integer(env, 'TRUSTGATE_REGISTRY_TIMEOUT_MS', 5000, 100, 120_000),
    verdictMaxAgeSeconds: integer(env, 'TRUSTGATE_VERDICT_MAX_AGE_S', 3600, 1, 30 * 86400),
    denyMaxAgeSeconds: integer(env, 'TRUSTGATE_DENY_MAX_AGE_S', 60, 0, 86400),
    tagCacheSeconds: integer(env, 'TRUSTGATE_TAG_CACHE_S', 30, 0, 86400),
    cacheMaxEntries: integer(env, 'TRUSTGATE_CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000),
    dockerConfigPath: text(env, 'TRUSTGATE_DOCKER_CONFIG'),
    logLevel: choice(env, 'TRUSTGATE_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const) ?? 'info',
    admission: loadAdmissionSettings(env),
    azure: loadAzureSettings(env),
  };
}

function trustPolicySetting(env: Env): Settings['trustPolicy'] {
  const value = text(env, 'TRUSTGATE_TRUST_POLICY');
  if (value === undefined) throw configError('TRUSTGATE_TRUST_POLICY', 'is required (a file path or inline JSON)');
  return value.startsWith('{') ? { kind: 'inline', json: value } : { kind: 'file', path: value };
}

function verificationPolicySetting(env: Env): Settings['verificationPolicy'] {
  const value = text(env, 'TRUSTGATE_VERIFICATION_POLICY');
  if (value === undefined) return undefined;
  return value.startsWith('{') ? { kind: 'inline', json: value } : { kind: 'file', path: value };
}

function inlineStores(env: Env): Settings['trustStoreInline'] {
  const parsed = json(env, 'TRUSTGATE_TRUST_STORE_INLINE');
  if (parsed === undefined) return undefined;
  const valid =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string')));
  if (!valid) throw configError('TRUSTGATE_TRUST_STORE_INLINE', 'must be an object of "type:name" → PEM string or array of PEM strings');
  return parsed as Record<string, string | string[]>;
}
