import { choice, configError, httpUrl, integer, json, text, type Env } from './env-values.js';
import { attempt, problemsError, type ConfigProblem } from './problems.js';

export interface KeyVaultSettings {
  vaultUrl: string;
  stores: Record<string, Array<{ certificate: string; version?: string }>>;
  keepPreviousVersions: number;
  refreshIntervalMs: number;
}

/** The Azure side of trustgate: verdict table, Key Vault trust store, Event Grid topic, ACR sign-in, re-checks. */
export interface AzureSettings {
  /** TRUSTGATE_TABLE_CONNECTION_STRING (Azurite, keys) or TRUSTGATE_TABLE_ENDPOINT (managed identity); neither = memory only. */
  table:
    | { kind: 'connectionString'; connectionString: string; tableName: string }
    | { kind: 'endpoint'; endpoint: string; tableName: string }
    | undefined;
  /** TRUSTGATE_KEYVAULT_URL + TRUSTGATE_KEYVAULT_STORES (+ _KEEP_VERSIONS, _REFRESH_S). */
  keyVault: KeyVaultSettings | undefined;
  /** TRUSTGATE_EVENTGRID_TOPIC_ENDPOINT (+ optional TRUSTGATE_EVENTGRID_TOPIC_KEY; else managed identity). */
  eventGridTopic: { endpoint: string; key?: string } | undefined;
  /** TRUSTGATE_ACR_AUTH: 'entra' signs in to *.azurecr.io with the app's identity; 'anonymous' does not. Default anonymous. */
  acrAuth: 'entra' | 'anonymous';
  /** TRUSTGATE_RECHECK_BATCH: verdicts re-verified per timer run. Default 100. */
  recheckBatch: number;
  /**
   * TRUSTGATE_RECHECK_LOOKAHEAD_S: re-verify verdicts this long before they expire. Default 1200 — longer than the
   * default 15-minute schedule, so a verdict is renewed before it lapses, and shorter than the revocation checker's
   * 30-minute refresh margin, so the renewal fetches fresh CRL/OCSP data.
   */
  recheckLookaheadSeconds: number;
  /** TRUSTGATE_EXPIRY_WARNING_DAYS: report certificates expiring within this window. Default 30. */
  expiryWarningDays: number;
}

export function loadAzureSettings(env: Env, problems?: ConfigProblem[]): AzureSettings {
  const found: ConfigProblem[] = problems ?? [];
  const core = <T>(read: () => T, fallback: T) => attempt(found, 'core', read, fallback);
  const recheck = <T>(read: () => T, fallback: T) => attempt(found, 'recheck', read, fallback);
  const settings: AzureSettings = {
    table: core(() => tableSettings(env), undefined),
    keyVault: core(() => keyVault(env), undefined),
    eventGridTopic: recheck(() => eventGridTopic(env), undefined),
    acrAuth: core(() => choice(env, 'TRUSTGATE_ACR_AUTH', ['entra', 'anonymous'] as const) ?? 'anonymous', 'anonymous'),
    recheckBatch: recheck(() => integer(env, 'TRUSTGATE_RECHECK_BATCH', 100, 1, 5000), 100),
    recheckLookaheadSeconds: recheck(() => integer(env, 'TRUSTGATE_RECHECK_LOOKAHEAD_S', 1200, 0, 86400), 1200),
    expiryWarningDays: recheck(() => integer(env, 'TRUSTGATE_EXPIRY_WARNING_DAYS', 30, 0, 3650), 30),
  };
  if (problems === undefined && found.length > 0) throw problemsError(found);
  return settings;
}

function tableSettings(env: Env): AzureSettings['table'] {
  const tableName = text(env, 'TRUSTGATE_TABLE_NAME') ?? 'verdicts';
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(tableName)) throw configError('TRUSTGATE_TABLE_NAME', 'must be 3–63 letters and digits, starting with a letter');
  const connectionString = text(env, 'TRUSTGATE_TABLE_CONNECTION_STRING');
  const endpoint = httpUrl(env, 'TRUSTGATE_TABLE_ENDPOINT');
  if (connectionString) return { kind: 'connectionString', connectionString, tableName };
  return endpoint ? { kind: 'endpoint', endpoint, tableName } : undefined;
}

function eventGridTopic(env: Env): AzureSettings['eventGridTopic'] {
  const topic = httpUrl(env, 'TRUSTGATE_EVENTGRID_TOPIC_ENDPOINT');
  const topicKey = text(env, 'TRUSTGATE_EVENTGRID_TOPIC_KEY');
  return topic ? { endpoint: topic, ...(topicKey ? { key: topicKey } : {}) } : undefined;
}

function keyVault(env: Env): KeyVaultSettings | undefined {
  const vaultUrl = httpUrl(env, 'TRUSTGATE_KEYVAULT_URL');
  const stores = json(env, 'TRUSTGATE_KEYVAULT_STORES');
  if (!vaultUrl && stores === undefined) return undefined;
  if (!vaultUrl) throw configError('TRUSTGATE_KEYVAULT_URL', 'is required when TRUSTGATE_KEYVAULT_STORES is set');
  if (stores === undefined) throw configError('TRUSTGATE_KEYVAULT_STORES', 'is required when TRUSTGATE_KEYVAULT_URL is set');
  const valid =
    typeof stores === 'object' && stores !== null && !Array.isArray(stores) &&
    Object.values(stores).every((refs) => Array.isArray(refs) && refs.every((r) => typeof r?.certificate === 'string' && (r.version === undefined || typeof r.version === 'string')));
  if (!valid) throw configError('TRUSTGATE_KEYVAULT_STORES', 'must be {"type:name": [{"certificate": "name", "version": "optional"}]}');
  return {
    vaultUrl,
    stores: stores as KeyVaultSettings['stores'],
    keepPreviousVersions: integer(env, 'TRUSTGATE_KEYVAULT_KEEP_VERSIONS', 1, 0, 20),
    refreshIntervalMs: integer(env, 'TRUSTGATE_KEYVAULT_REFRESH_S', 900, 10, 86400) * 1000,
  };
}
