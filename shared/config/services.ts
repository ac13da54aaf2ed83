import { defaultFetch, jsonLogger, systemClock, type Clock, type FetchLike, type Logger } from '../core/index.js';
import type { ResultCache } from '../cache/index.js';
import type { EventPublisher } from '../events/index.js';
import type { RegistryClient } from '../oci/index.js';
import type { TrustPolicyDocument } from '../policy/index.js';
import type { TrustStore } from '../truststore/index.js';
import type { DefaultVerificationService, PushHandler, RecheckService } from '../verification/index.js';
import { invocationAwareLogger } from '../telemetry/index.js';
import { azureCredential } from './azure-credential.js';
import { registryAllowlist } from './registry-allowlist.js';
import { schemeFetch } from './scheme-fetch.js';
import { loadSettings, type Settings } from './settings.js';

/** Everything a handler needs, built once per process (the composition root). */
export interface Services {
  settings: Settings;
  logger: Logger;
  clock: Clock;
  policy: TrustPolicyDocument;
  trustStore: TrustStore;
  registry: RegistryClient;
  cache: ResultCache;
  verification: DefaultVerificationService;
  push: PushHandler;
  recheck: RecheckService;
  /** What /api/health may show: counts and names, never values. */
  describe(): Promise<Record<string, unknown>>;
}

/** Replacements for tests, the CLI and the local host. */
export interface ServiceOverrides {
  clock?: Clock;
  logger?: Logger;
  fetch?: FetchLike;
  cache?: ResultCache;
  trustStore?: TrustStore;
  publisher?: EventPublisher;
}

/**
 * The engine, registry client, caches and Azure SDKs cost ~400 ms to import: they load with the first build of the
 * services, so importing the functions module stays cheap (Flex allows 30 s for app initialization, admission waits).
 */
async function loadComponents() {
  const [schemes, evidenceSource, oci, pki, verification, trustPolicySource, trustStoreSource] = await Promise.all([
    import('./schemes.js'),
    import('./evidence-source.js'),
    import('../oci/index.js'),
    import('../pki/index.js'),
    import('../verification/index.js'),
    import('./trust-policy-source.js'), // policy reads DN attribute names from pki (@peculiar/asn1-*)
    import('./trust-store-source.js'),
  ]);
  return {
    schemeFactories: schemes.schemeFactories,
    buildEvidence: evidenceSource.buildEvidence,
    RegistryClient: oci.RegistryClient,
    dockerConfigCredentials: oci.dockerConfigCredentials,
    RevocationChecker: pki.RevocationChecker,
    DefaultVerificationService: verification.DefaultVerificationService,
    PushHandler: verification.PushHandler,
    RecheckService: verification.RecheckService,
    loadTrustPolicy: trustPolicySource.loadTrustPolicy,
    buildTrustStore: trustStoreSource.buildTrustStore,
  };
}

async function eventPublisher(topic: Settings['azure']['eventGridTopic'], logger: Logger, clock: Clock): Promise<EventPublisher> {
  const events = await import('../events/index.js');
  return topic ? events.eventGridPublisher({ ...topic, credential: await azureCredential(), logger, clock }) : events.noEventPublisher;
}

export async function createServices(settings: Settings, overrides: ServiceOverrides = {}): Promise<Services> {
  const {
    buildTrustStore, dockerConfigCredentials, loadTrustPolicy, DefaultVerificationService,
    PushHandler, RecheckService, RegistryClient, RevocationChecker, schemeFactories, buildEvidence,
  } = await loadComponents();
  const clock = overrides.clock ?? systemClock;
  // In Azure each line goes to the current invocation's context (severity, invocation id); JSON lines otherwise.
  const logger = overrides.logger ?? invocationAwareLogger(jsonLogger(settings.logLevel), settings.logLevel);
  const fetchOverride = overrides.fetch ? { fetch: overrides.fetch } : {};
  const policy = await loadTrustPolicy(settings.trustPolicy);
  const stores = overrides.trustStore ? { store: overrides.trustStore, refresh: async () => undefined } : await buildTrustStore(settings, clock, logger);
  const trustStore = stores.store;
  const revocation = new RevocationChecker({ ...fetchOverride, clock, logger });
  const factories = schemeFactories({ trustPolicy: policy, trustStore, revocation });
  // Schemes read Key Vault (cosign keys) with the app identity's token; nothing else they fetch carries credentials.
  const fetchForSchemes = schemeFetch(overrides.fetch ?? defaultFetch, azureCredential);
  const evidence = await buildEvidence(settings.verificationPolicy, factories, { clock, logger, fetch: fetchForSchemes });
  // Registries named by the verification policy's scopes may be contacted too (a cosign- or DCT-only scope).
  const scopes = evidence.verificationPolicy?.document.policies.flatMap((p) => p.registryScopes) ?? [];
  const allowRegistry = registryAllowlist(policy, settings.allowedRegistries, scopes);
  const registry = new RegistryClient({
    ...fetchOverride,
    clock,
    logger,
    plainHttp: settings.plainHttpRegistries,
    allowRegistry,
    timeoutMs: settings.registryTimeoutMs,
    credentials: dockerConfigCredentials(settings.dockerConfigPath),
    ...(settings.azure.acrAuth === 'entra' ? { aadCredential: await azureCredential() } : {}),
  });
  // The Table Storage and Event Grid SDKs load only when used (the CLI passes its own cache and publisher).
  const cache = overrides.cache ?? (await (await import('./cache-source.js')).buildCache(settings, clock, logger));
  const verification = new DefaultVerificationService({
    registry,
    ...evidence,
    clock,
    logger,
    allowRegistry,
    cache,
    maxSignatures: settings.maxSignatures,
    verdictMaxAgeSeconds: settings.verdictMaxAgeSeconds,
    denyMaxAgeSeconds: settings.denyMaxAgeSeconds,
    tagCacheSeconds: settings.tagCacheSeconds,
  });
  const topic = settings.azure.eventGridTopic;
  const publisher = overrides.publisher ?? (await eventPublisher(topic, logger, clock));
  return {
    settings,
    logger,
    clock,
    policy,
    trustStore,
    registry,
    cache,
    verification,
    push: new PushHandler({ service: verification, registry, cache, allowRegistry, logger }),
    recheck: new RecheckService({
      service: verification,
      cache,
      policy,
      trustStore,
      refreshTrustStores: stores.refresh,
      clock,
      logger,
      publisher,
      batchSize: settings.azure.recheckBatch,
      lookaheadMs: settings.azure.recheckLookaheadSeconds * 1000,
      expiryWindowMs: settings.azure.expiryWarningDays * 86_400_000,
    }),
    describe: async () => ({
      trustPolicy: { statements: policy.trustPolicies.map((s) => s.name) },
      evidence: { schemes: evidence.schemes.map((s) => s.name), verificationPolicy: evidence.verificationPolicy?.document.policies.map((p) => p.name) ?? null },
      trustStore: { fingerprint: await trustStore.fingerprint() },
      verdictStore: settings.azure.table ? 'table+memory' : 'memory',
      keyVault: settings.azure.keyVault !== undefined,
      eventGridTopic: topic !== undefined,
    }),
  };
}

let current: Promise<Services> | undefined;

/** The process-wide services, built lazily from the environment on first use (no I/O at import). */
export function getServices(): Promise<Services> {
  current ??= Promise.resolve()
    .then(() => createServices(loadSettings(process.env)))
    .catch((error: unknown) => {
      current = undefined; // a fixed setting is picked up on the next request
      throw error;
    });
  return current;
}

/** Installs services built elsewhere (the local host, tests). */
export function setServices(services: Services | Promise<Services> | undefined): void {
  current = services === undefined ? undefined : Promise.resolve(services);
}
