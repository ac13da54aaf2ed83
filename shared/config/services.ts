import { jsonLogger, systemClock, type Clock, type FetchLike, type Logger } from '../core/index.js';
import { MemoryResultCache, type ResultCache } from '../cache/index.js';
import { verifySignature } from '../notary/index.js';
import { dockerConfigCredentials, RegistryClient } from '../oci/index.js';
import { RevocationChecker } from '../pki/index.js';
import type { TrustPolicyDocument } from '../policy/index.js';
import { DefaultVerificationService } from '../verification/index.js';
import type { TrustStore } from '../truststore/index.js';
import { registryAllowlist } from './registry-allowlist.js';
import { loadSettings, type Settings } from './settings.js';
import { loadTrustPolicy } from './trust-policy-source.js';
import { buildTrustStore } from './trust-store-source.js';

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
}

export async function createServices(settings: Settings, overrides: ServiceOverrides = {}): Promise<Services> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? jsonLogger(settings.logLevel);
  const policy = await loadTrustPolicy(settings.trustPolicy);
  const trustStore = overrides.trustStore ?? (await buildTrustStore(settings, logger));
  const allowRegistry = registryAllowlist(policy, settings.allowedRegistries);
  const registry = new RegistryClient({
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
    clock,
    logger,
    plainHttp: settings.plainHttpRegistries,
    allowRegistry,
    timeoutMs: settings.registryTimeoutMs,
    credentials: dockerConfigCredentials(settings.dockerConfigPath),
  });
  const revocation = new RevocationChecker({ ...(overrides.fetch ? { fetch: overrides.fetch } : {}), clock, logger });
  const cache = overrides.cache ?? new MemoryResultCache({ maxEntries: settings.cacheMaxEntries, clock });
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
  return {
    settings,
    logger,
    clock,
    policy,
    trustStore,
    registry,
    cache,
    verification,
    describe: async () => ({
      trustPolicy: { statements: policy.trustPolicies.map((s) => s.name) },
      trustStore: { fingerprint: await trustStore.fingerprint() },
      plainHttpRegistries: settings.plainHttpRegistries.length,
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
