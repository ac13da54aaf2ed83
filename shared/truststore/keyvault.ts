import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import { AppError, SingleFlight, silentLogger, systemClock } from '../core/index.js';
import type { Clock, Logger } from '../core/index.js';
import { TRUST_STORE_TYPES } from './port.js';
import type { TrustStore, TrustStoreType } from './port.js';
import { validateAnchors } from './certificates.js';
import { RESERVED_STORE_NAMES, STORE_NAME_PATTERN, TRUST_STORE_ERROR_CODES as CODES } from './constants.js';
import { TrustStoreError } from './errors.js';
import { certificatesFromSecret, PEM_CONTENT_TYPE } from './keyvault-certs.js';

/** Key Vault could not be read and no earlier snapshot exists: the decision cannot be made (kind `inconclusive`). */
export const ERR_TRUST_STORE_UNAVAILABLE = 'ERR_TRUST_STORE_UNAVAILABLE';

/** One Key Vault certificate feeding a named store, optionally pinned to one version. */
export interface KeyVaultCertificateRef {
  /** Required. The Key Vault certificate name. */
  certificate: string;
  /** Optional. Pin to this version. Default: the newest enabled version plus `keepPreviousVersions` older ones. */
  version?: string;
}

export interface KeyVaultTrustStoreOptions {
  /** Required. https://<vault>.vault.azure.net (plain http only on loopback, for tests). */
  vaultUrl: string;
  /** Required. Needs the "Key Vault Certificate User" role (reads certificates and their secrets). */
  credential: TokenCredential;
  /** Required. Store key `type:name` (e.g. `ca:prod`, `tsa:public`) → the certificates that make it up. */
  stores: Record<string, KeyVaultCertificateRef[]>;
  /** Optional. Older versions (by creation date) that stay trusted during a rotation. Default: 1. */
  keepPreviousVersions?: number;
  /** Optional. Re-read Key Vault when a lookup comes this long after the last load. Default: 15 minutes. */
  refreshIntervalMs?: number;
  /** Optional. Wait this long after a failed refresh before trying again. Default: 60 s. */
  retryAfterFailureMs?: number;
  /** Optional. Default: the system clock. */
  clock?: Clock;
  /** Optional. Default: silent. */
  logger?: Logger;
  /** Optional. For tests. Default: a client for vaultUrl. */
  certificateClient?: CertificateClient;
  /** Optional. For tests. Default: a client for vaultUrl. */
  secretClient?: SecretClient;
}

type StoreContent = readonly X509Certificate[] | TrustStoreError;

interface Snapshot {
  stores: Map<string, StoreContent>;
  fingerprint: string;
}

const CERTIFICATE_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/** Versions read per certificate at most (listing is paged by the SDK). */
const MAX_VERSIONS_LISTED = 500;

/**
 * Trust anchors from Azure Key Vault certificates. For each configured certificate it reads the newest
 * enabled version and `keepPreviousVersions` older ones (or the pinned version), takes the certificate
 * chain from the secret of the same name and version (Key Vault converts PFX to PEM on request; private
 * keys are never kept), and validates each certificate with the file store's rules (validateAnchors;
 * trust-store-trust-policy.md "Trust Store": CA or self-signed; tsa stores: root CAs only). Certificates
 * that may not be anchors (the vault certificate's own leaf, typically) are left out with a warning;
 * a store left with none fails with ERR_TRUST_STORE_EMPTY.
 *
 * Loads lazily, refreshes when a lookup comes `refreshIntervalMs` after the last load (or on refresh()),
 * and keeps serving the last good snapshot while Key Vault is unreachable. Once a snapshot exists, a due
 * refresh runs in the background (one at a time) and lookups never wait for Key Vault.
 */
export class KeyVaultTrustStore implements TrustStore {
  private readonly options: KeyVaultTrustStoreOptions;
  private readonly certificates: CertificateClient;
  private readonly secrets: SecretClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly loads = new SingleFlight<Snapshot>();
  private snapshot: Snapshot | undefined;
  private nextRefreshAtMs = 0;
  /** The failure of the last load when there is no snapshot yet; lookups repeat it until the retry time. */
  private lastFailure: AppError | undefined;
  /** The background refresh under way, if any. */
  private background: Promise<void> | undefined;

  constructor(options: KeyVaultTrustStoreOptions) {
    validateConfig(options);
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const clientOptions = vaultClientOptions(options.vaultUrl);
    this.certificates = options.certificateClient ?? new CertificateClient(options.vaultUrl, options.credential, clientOptions);
    this.secrets = options.secretClient ?? new SecretClient(options.vaultUrl, options.credential, clientOptions);
  }

  async getCertificates(type: TrustStoreType, name: string): Promise<readonly X509Certificate[]> {
    const content = (await this.current()).stores.get(`${type}:${name}`);
    if (content === undefined) {
      throw new TrustStoreError(CODES.notFound, `trust store ${type}:${name} is not configured in Key Vault`, { details: { type, name } });
    }
    if (content instanceof TrustStoreError) throw content;
    return content;
  }

  async fingerprint(): Promise<string> {
    return (await this.current()).fingerprint;
  }

  currentFingerprint(): string | undefined {
    const fresh = this.snapshot !== undefined && this.clock.now().getTime() < this.nextRefreshAtMs;
    return fresh ? this.snapshot?.fingerprint : undefined;
  }

  /**
   * Re-reads Key Vault now. On failure the previous snapshot stays in use (logged); with no previous
   * snapshot it throws ERR_TRUST_STORE_UNAVAILABLE, and lookups repeat that error until retryAfterFailureMs.
   */
  async refresh(): Promise<void> {
    const now = this.clock.now().getTime();
    try {
      this.snapshot = await this.loads.run('load', () => this.load());
      this.nextRefreshAtMs = now + (this.options.refreshIntervalMs ?? 15 * 60_000);
      this.lastFailure = undefined;
    } catch (error) {
      this.nextRefreshAtMs = now + (this.options.retryAfterFailureMs ?? 60_000);
      this.logger.log('warn', 'truststore.keyvault_refresh_failed', { message: (error as Error).message, hasSnapshot: this.snapshot !== undefined });
      if (this.snapshot !== undefined) return;
      this.lastFailure = new AppError(ERR_TRUST_STORE_UNAVAILABLE, 'inconclusive', 'Key Vault trust stores could not be read', { cause: error });
      throw this.lastFailure;
    }
  }

  /** Resolves when a background refresh started by a lookup has finished (tests, shutdown). */
  async settled(): Promise<void> {
    await this.background;
  }

  private async current(): Promise<Snapshot> {
    const due = this.clock.now().getTime() >= this.nextRefreshAtMs;
    // Without a snapshot, a recent failure is repeated rather than making every lookup wait on Key Vault again.
    if (this.snapshot === undefined && !due && this.lastFailure !== undefined) throw this.lastFailure;
    if (this.snapshot === undefined) await this.refresh();
    else if (due) {
      // Stale-while-revalidate: callers keep the last snapshot while one load runs (refresh() never throws with one).
      this.nextRefreshAtMs = this.clock.now().getTime() + (this.options.retryAfterFailureMs ?? 60_000);
      this.background = this.refresh().catch(() => undefined);
    }
    return this.snapshot as Snapshot;
  }

  private async load(): Promise<Snapshot> {
    const stores = new Map<string, StoreContent>();
    for (const [key, refs] of Object.entries(this.options.stores)) stores.set(key, await this.loadStore(key, refs));
    return { stores, fingerprint: fingerprintOf(stores) };
  }

  /** One store; a missing certificate or a store with no valid anchor is a store-level error, Key Vault failures throw. */
  private async loadStore(key: string, refs: readonly KeyVaultCertificateRef[]): Promise<StoreContent> {
    const type = key.slice(0, key.indexOf(':')) as TrustStoreType;
    const anchors = new Map<string, X509Certificate>();
    for (const ref of refs) {
      let chain: X509Certificate[];
      try {
        chain = await this.readCertificate(ref);
      } catch (error) {
        if (statusOf(error) !== 404 && !(error instanceof TrustStoreError)) throw error;
        const code = error instanceof TrustStoreError ? error.code : CODES.configInvalid;
        return new TrustStoreError(code, `trust store ${key}: Key Vault certificate ${ref.certificate} cannot be used`, {
          cause: error, details: { store: key, certificate: ref.certificate, ...(ref.version ? { version: ref.version } : {}) },
        });
      }
      for (const cert of chain) {
        try {
          validateAnchors(type, [cert], `Key Vault certificate ${ref.certificate}`);
          anchors.set(cert.fingerprint256, cert);
        } catch (error) {
          if (!(error instanceof TrustStoreError)) throw error;
          this.logger.log('warn', 'truststore.keyvault_certificate_skipped', { store: key, certificate: ref.certificate, subject: cert.subject, code: error.code });
        }
      }
    }
    if (anchors.size === 0) {
      return new TrustStoreError(CODES.empty, `trust store ${key} has no certificate that may be a trust anchor`, { details: { store: key } });
    }
    return [...anchors.values()];
  }

  private async readCertificate(ref: KeyVaultCertificateRef): Promise<X509Certificate[]> {
    const versions = ref.version !== undefined ? [ref.version] : await this.versionsToTrust(ref.certificate);
    const chains: X509Certificate[] = [];
    for (const version of versions) {
      const secret = await this.secrets.getSecret(ref.certificate, { version, outContentType: PEM_CONTENT_TYPE });
      chains.push(...certificatesFromSecret(secret.value ?? '', secret.properties.contentType));
    }
    return chains;
  }

  /** The newest enabled version and keepPreviousVersions older ones, by creation date. */
  private async versionsToTrust(name: string): Promise<string[]> {
    const found: Array<{ version: string; createdMs: number }> = [];
    for await (const properties of this.certificates.listPropertiesOfCertificateVersions(name)) {
      if (properties.enabled !== false && properties.version !== undefined) {
        found.push({ version: properties.version, createdMs: properties.createdOn?.getTime() ?? 0 });
      }
      if (found.length >= MAX_VERSIONS_LISTED) break;
    }
    if (found.length === 0) throw new TrustStoreError(CODES.configInvalid, `Key Vault certificate ${name} has no enabled version`);
    found.sort((a, b) => b.createdMs - a.createdMs);
    return found.slice(0, 1 + (this.options.keepPreviousVersions ?? 1)).map((v) => v.version);
  }
}

function fingerprintOf(stores: Map<string, StoreContent>): string {
  const hash = createHash('sha256');
  for (const key of [...stores.keys()].sort()) {
    const content = stores.get(key) as StoreContent;
    const parts = content instanceof TrustStoreError ? [`error:${content.code}`] : content.map((c) => c.fingerprint256).sort();
    hash.update(`${key}\n${parts.join('\n')}\n\n`);
  }
  return hash.digest('hex');
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function validateConfig(options: KeyVaultTrustStoreOptions): void {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(options.vaultUrl);
  } catch {
    problems.push('vaultUrl is not a URL');
  }
  if (url !== undefined && url.protocol !== 'https:' && !isLoopbackHttp(url)) problems.push('vaultUrl must use https');
  for (const [key, refs] of Object.entries(options.stores)) {
    const [type, name, ...rest] = key.split(':');
    if (!TRUST_STORE_TYPES.includes(type as TrustStoreType) || name === undefined || !STORE_NAME_PATTERN.test(name) || RESERVED_STORE_NAMES.includes(name) || rest.length > 0) {
      problems.push(`store "${key}" is not type:name with type ca|signingAuthority|tsa and name [a-zA-Z0-9_.-]+`);
    }
    if (refs.length === 0) problems.push(`store "${key}" lists no certificate`);
    for (const ref of refs) if (!CERTIFICATE_NAME.test(ref.certificate)) problems.push(`store "${key}": "${ref.certificate}" is not a Key Vault certificate name`);
  }
  const keep = options.keepPreviousVersions ?? 1;
  if (!Number.isInteger(keep) || keep < 0) problems.push('keepPreviousVersions must be a non-negative integer');
  if (problems.length > 0) {
    throw new TrustStoreError(CODES.configInvalid, `Key Vault trust store configuration: ${problems.join('; ')}`, { details: { problems } });
  }
}

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

/**
 * Short retries; a loopback http vault (the test fake) also needs insecure connections allowed and the
 * challenge resource check off (its challenge names vault.azure.net). Never relaxed for a real vault URL.
 */
function vaultClientOptions(vaultUrl: string) {
  const loopback = (() => {
    try {
      return isLoopbackHttp(new URL(vaultUrl));
    } catch {
      return false;
    }
  })();
  return {
    retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 },
    ...(loopback ? { allowInsecureConnection: true, disableChallengeResourceVerification: true } : {}),
  };
}
