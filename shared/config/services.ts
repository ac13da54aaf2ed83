import { EgressPolicy, jsonLogger, systemClock, type Clock, type FetchLike, type Logger } from '../core/index.js';
import type { ResultCache } from '../cache/index.js';
import type { EventPublisher } from '../events/index.js';
import type { NotaryChecker } from '../notary/index.js';
import type { RegistryClient } from '../oci/index.js';
import type { TrustPolicyDocument } from '../policy/index.js';
import type { TrustStore } from '../truststore/index.js';
import type { DefaultVerificationService, PushHandler, RecheckService } from '../verification/index.js';
import { deferredMetrics, getMetrics, invocationAwareLogger, type Metrics } from '../telemetry/index.js';
import { azureCredential } from './azure-credential.js';
import { policyRegistries, registryAllowlist } from './registry-allowlist.js';
import { problemsError } from './problems.js';
import { schemeFetch } from './scheme-fetch.js';
import { inspectSettings, type Settings } from './settings.js';

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
  /** Default: Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set (loaded in the background), else none. */
  metrics?: Metrics;
}

/**
 * The engine, registry client, caches and Azure SDKs cost ~400 ms to import: they load with the first build of the
 * services, so importing the functions module stays cheap (Flex allows 30 s for app initialization, admission waits).
 */
async function loadComponents() {
  const [schemes, evidenceSource, notary, oci, pki, verification, trustPolicySource, trustStoreSource, trustCheck] = await Promise.all([
    import('./schemes.js'),
    import('./evidence-source.js'),
    import('../notary/index.js'),
    import('../oci/index.js'),
    import('../pki/index.js'),
    import('../verification/index.js'),
    import('./trust-policy-source.js'), // policy reads DN attribute names from pki (@peculiar/asn1-*)
    import('./trust-store-source.js'),
    import('./trust-check.js'),
  ]);
  return {
    schemeFactories: schemes.schemeFactories,
    buildEvidence: evidenceSource.buildEvidence,
    verifySignature: notary.verifySignature,
    RegistryClient: oci.RegistryClient,
    dockerConfigCredentials: oci.dockerConfigCredentials,
    RevocationChecker: pki.RevocationChecker,
    DefaultVerificationService: verification.DefaultVerificationService,
    PushHandler: verification.PushHandler,
    RecheckService: verification.RecheckService,
    loadTrustPolicy: trustPolicySource.loadTrustPolicy,
    buildTrustStore: trustStoreSource.buildTrustStore,
    checkTrustStores: trustCheck.checkTrustStores,
    assertStoresAvailable: trustCheck.assertStoresAvailable,
  };
}

async function eventPublisher(topic: Settings['azure']['eventGridTopic'], logger: Logger, clock: Clock): Promise<EventPublisher> {
  const events = await import('../events/index.js');
  return topic ? events.eventGridPublisher({ ...topic, credential: await azureCredential(), logger, clock }) : events.noEventPublisher;
}

export async function createServices(settings: Settings, overrides: ServiceOverrides = {}): Promise<Services> {
  const {
    assertStoresAvailable, checkTrustStores, buildTrustStore, dockerConfigCredentials, loadTrustPolicy, DefaultVerificationService,
    PushHandler, RecheckService, RegistryClient, RevocationChecker, schemeFactories, buildEvidence, verifySignature,
  } = await loadComponents();
  const clock = overrides.clock ?? systemClock;
  // In Azure each line goes to the current invocation's context (severity, invocation id); JSON lines otherwise.
  const logger = overrides.logger ?? invocationAwareLogger(jsonLogger(settings.logLevel), settings.logLevel);
  const fetchOverride = overrides.fetch ? { fetch: overrides.fetch } : {};
  const policy = await loadTrustPolicy(settings.trustPolicy);
  const stores = overrides.trustStore ? { store: overrides.trustStore, refresh: async () => undefined } : await buildTrustStore(settings, clock, logger);
  const trustStore = stores.store;
  if (!overrides.trustStore) {
    const problems = await checkTrustStores(settings, policy, trustStore);
    if (problems.length > 0) throw problemsError(problems);
  }
  const revocation = new RevocationChecker({ ...fetchOverride, clock, logger });
  // A statement's store that broke after start-up makes the answer inconclusive, never a deny that would be cached.
  const checker: NotaryChecker = async (input) => {
    await assertStoresAvailable(trustStore, input.statement);
    return verifySignature({ ...input, revocation });
  };
  const factories = schemeFactories({ trustPolicy: policy, trustStore, revocation, checker });
  // Schemes' own reads (trust servers, Rekor/TUF, Key Vault) go through the egress policy: public addresses only, unless
  // the host is a registry the operator named or one the scheme's configuration names. Key Vault reads carry the app
  // identity's token; nothing else they fetch carries credentials.
  const schemeHosts = new Set<string>();
  const schemeEgress = overrides.fetch ?? new EgressPolicy({ clock, named: (host) => named.has(host) || schemeHosts.has(host) }).asFetch();
  const credentials = dockerConfigCredentials(settings.dockerConfigPath);
  // Schemes get the same credentials the registry client presents (Docker config, or the ACR Entra exchange).
  const schemeCredentials = (host: string) => registry.credentialFor(host);
  const evidence = await buildEvidence(settings.verificationPolicy, factories, { clock, logger, fetch: schemeFetch(schemeEgress, azureCredential), credentials: schemeCredentials });
  for (const scheme of evidence.schemes) for (const host of scheme.egressHosts?.() ?? []) schemeHosts.add(host.toLowerCase());
  // Registries named by the verification policy's scopes may be contacted too (a cosign- or DCT-only scope).
  const scopes = evidence.verificationPolicy?.document.policies.flatMap((p) => p.registryScopes) ?? [];
  const allowRegistry = registryAllowlist(policy, settings.allowedRegistries, scopes);
  // Only registries the operator named may be loopback/private and get detailed network errors ("*" names none).
  const named = new Set([...(settings.allowedRegistries ?? []).filter((host) => host !== '*'), ...policyRegistries(policy), ...scopes.filter((s) => s !== '*').map((s) => s.split('/')[0] as string)].map((host) => host.toLowerCase()));
  const registry = new RegistryClient({
    ...fetchOverride,
    clock,
    logger,
    plainHttp: settings.plainHttpRegistries,
    allowRegistry,
    namedRegistry: (host) => named.has(host.toLowerCase()),
    timeoutMs: settings.registryTimeoutMs,
    credentials,
    ...(settings.azure.acrAuth === 'entra' ? { aadCredential: await azureCredential() } : {}),
  });
  // The Table Storage and Event Grid SDKs load only when used (the CLI passes its own cache and publisher).
  const metrics = overrides.metrics ?? deferredMetrics(getMetrics(process.env, logger));
  const cache = overrides.cache ?? (await (await import('./cache-source.js')).buildCache(settings, clock, logger, metrics));
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
    metrics,
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
    push: new PushHandler({ service: verification, registry, cache, allowRegistry, logger, clock }),
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
      metrics,
    }),
    describe: async () => ({
      trustPolicy: { statements: policy.trustPolicies.length }, // a count: statement names say which registries exist
      evidence: { schemes: evidence.schemes.map((s) => s.name), verificationPolicies: evidence.verificationPolicy?.document.policies.length ?? 0 },
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
    .then(() => {
      // Only the settings every verification needs stop the services; a broken admission or re-check setting disables
      // just those functions (see readiness.ts), so acrEvents and verify keep working.
      const { settings, problems } = inspectSettings(process.env);
      const core = problems.filter((p) => p.group === 'core');
      if (core.length > 0) throw problemsError(core);
      return createServices(settings);
    })
    .catch((error: unknown) => {
      current = undefined; // a fixed setting is picked up on the next request
      throw error;
    });
  return current;
}

let installed = false;

/** Installs services built elsewhere (the local host, tests); their settings replace the environment's. */
export function setServices(services: Services | Promise<Services> | undefined): void {
  current = services === undefined ? undefined : Promise.resolve(services);
  installed = services !== undefined;
}

/** Services installed with setServices, if any (their settings are the configuration then, not process.env). */
export function installedServices(): Promise<Services> | undefined {
  return installed ? current : undefined;
}
