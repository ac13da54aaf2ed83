import type { AdmissionSettings } from '../admission/index.js';
import { loadAdmissionSettings } from './admission-settings.js';
import { loadAzureSettings, type AzureSettings } from './azure-settings.js';
import { choice, configError, hostList, integer, json, text, type Env } from './env-values.js';
import { attempt, problemsError, type ConfigProblem } from './problems.js';
import { DEFAULT_RECHECK_SCHEDULE, recheckSchedule } from './schedule.js';

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
  /** TRUSTGATE_RECHECK_SCHEDULE: NCRONTAB (six fields, UTC) of the re-check timer. Default every 15 minutes. */
  recheckSchedule: string;
}

/** Parses settings; wrong values fail with ERR_CONFIG naming the first setting (all of them in `problems`). */
export function loadSettings(env: Env): Settings {
  const { settings, problems } = inspectSettings(env);
  if (problems.length > 0) throw problemsError(problems);
  return settings;
}

/**
 * Reads every setting and reports every problem instead of stopping at the first. A broken setting falls back to
 * its default so the functions that do not need it keep working; `problems` says which group each belongs to.
 */
export function inspectSettings(env: Env): { settings: Settings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const core = <T>(read: () => T, fallback: T) => attempt(problems, 'core', read, fallback);
  const settings: Settings = {
    trustPolicy: core(() => trustPolicySetting(env), { kind: 'inline', json: '' }),
    verificationPolicy: core(() => verificationPolicySetting(env), undefined),
    trustStoreDir: text(env, 'TRUSTGATE_TRUST_STORE'),
    trustStoreRecheckMs: core(() => integer(env, 'TRUSTGATE_TRUST_STORE_RECHECK_MS', 2000, 0, 3_600_000), 2000),
    trustStoreInline: core(() => inlineStores(env), undefined),
    plainHttpRegistries: core(() => hostList(env, 'TRUSTGATE_PLAIN_HTTP') ?? [], []),
    allowedRegistries: core(() => hostList(env, 'TRUSTGATE_ALLOWED_REGISTRIES'), undefined),
    port: attempt(problems, 'host', () => integer(env, 'TRUSTGATE_PORT', 7071, 0, 65535), 7071),
    maxSignatures: core(() => integer(env, 'TRUSTGATE_MAX_SIGNATURES', 50, 1, 1000), 50),
    registryTimeoutMs: core(() => integer(env, 'TRUSTGATE_REGISTRY_TIMEOUT_MS', 5000, 100, 120_000), 5000),
    verdictMaxAgeSeconds: core(() => integer(env, 'TRUSTGATE_VERDICT_MAX_AGE_S', 3600, 1, 30 * 86400), 3600),
    denyMaxAgeSeconds: core(() => integer(env, 'TRUSTGATE_DENY_MAX_AGE_S', 60, 0, 86400), 60),
    tagCacheSeconds: core(() => integer(env, 'TRUSTGATE_TAG_CACHE_S', 30, 0, 86400), 30),
    cacheMaxEntries: core(() => integer(env, 'TRUSTGATE_CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000), 10_000),
    dockerConfigPath: text(env, 'TRUSTGATE_DOCKER_CONFIG'),
    logLevel: core(() => choice(env, 'TRUSTGATE_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const) ?? 'info', 'info'),
    admission: attempt(problems, 'admission', () => loadAdmissionSettings(env), {}),
    azure: loadAzureSettings(env, problems),
    recheckSchedule: attempt(problems, 'recheck', () => recheckSchedule(env), DEFAULT_RECHECK_SCHEDULE),
  };
  return { settings, problems };
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
