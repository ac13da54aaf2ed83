import { jsonLogger, systemClock, type Clock, type FetchLike, type Logger } from '../core/index.js';
import type { ResultCache } from '../cache/index.js';
import type { EventPublisher } from '../events/index.js';
import type { RegistryClient } from '../oci/index.js';
import type { TrustPolicyDocument } from '../policy/index.js';
import type { TrustStore } from '../truststore/index.js';
import type { DefaultVerificationService, PushHandler, RecheckService } from '../verification/index.js';
import { azureCredential } from './azure-credential.js';
import { policyRegistries, registryAllowlist } from './registry-allowlist.js';
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
  const [events, notary, oci, pki, verification, cacheSource, trustPolicySource, trustStoreSource] = await Promise.all([
    import('../events/index.js'),
    import('../notary/index.js'),
    import('../oci/index.js'),
    import('../pki/index.js'),
    import('../verification/index.js'),
    import('./cache-source.js'),
    import('./trust-policy-source.js'), // policy reads DN attribute names from pki (@peculiar/asn1-*)
    import('./trust-store-source.js'),
  ]);
  return {
    eventGridPublisher: events.eventGridPublisher,
    noEventPublisher: events.noEventPublisher,
    verifySignature: notary.verifySignature,
    RegistryClient: oci.RegistryClient,
    dockerConfigCredentials: oci.dockerConfigCredentials,
    RevocationChecker: pki.RevocationChecker,
    DefaultVerificationService: verification.DefaultVerificationService,
    PushHandler: verification.PushHandler,
    RecheckService: verification.RecheckService,
    buildCache: cacheSource.buildCache,
    loadTrustPolicy: trustPolicySource.loadTrustPolicy,
    buildTrustStore: trustStoreSource.buildTrustStore,
  };
}

export async function createServices(settings: Settings, overrides: ServiceOverrides = {}): Promise<Services> {
  const {
    buildCache, buildTrustStore, dockerConfigCredentials, eventGridPublisher, loadTrustPolicy, noEventPublisher, DefaultVerificationService,
    PushHandler, RecheckService, RegistryClient, RevocationChecker, verifySignature,
  } = await loadComponents();
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? jsonLogger(settings.logLevel);
  const fetchOverride = overrides.fetch ? { fetch: overrides.fetch } : {};
  const policy = await loadTrustPolicy(settings.trustPolicy);
  const stores = overrides.trustStore ? { store: overrides.trustStore, refresh: async () => undefined } : await buildTrustStore(settings, clock, logger);
  const trustStore = stores.store;
  const allowRegistry = registryAllowlist(policy, settings.allowedRegistries);
  // Only registries the operator named may be loopback/private and get detailed network errors ("*" names none).
  const named = new Set([...(settings.allowedRegistries ?? []).filter((host) => host !== '*'), ...policyRegistries(policy)].map((host) => host.toLowerCase()));
  const registry = new RegistryClient({
    ...fetchOverride,
    clock,
    logger,
    plainHttp: settings.plainHttpRegistries,
    allowRegistry,
    namedRegistry: (host) => named.has(host.toLowerCase()),
    timeoutMs: settings.registryTimeoutMs,
    credentials: dockerConfigCredentials(settings.dockerConfigPath),
    ...(settings.azure.acrAuth === 'entra' ? { aadCredential: await azureCredential() } : {}),
  });
  const revocation = new RevocationChecker({ ...fetchOverride, clock, logger });
  const cache = overrides.cache ?? (await buildCache(settings, clock, logger));
  const verification = new DefaultVerificationService({
    registry,
    checker: (input) => verifySignature({ ...input, revocation }),
    policy,
    trustStore,
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
  const publisher =
    overrides.publisher ?? (topic ? eventGridPublisher({ ...topic, credential: await azureCredential(), logger, clock }) : noEventPublisher);
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
