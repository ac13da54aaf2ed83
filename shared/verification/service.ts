import { createHash } from 'node:crypto';
import { isAppError, SingleFlight, type Clock, type Logger } from '../core/index.js';
import type { CacheKey, ResultCache } from '../cache/index.js';
import { parseReference, Reference, type Descriptor } from '../oci/index.js';
import { fingerprintPolicy, resolveLevel, selectPolicy, type TrustPolicyDocument, type TrustPolicyStatement } from '../policy/index.js';
import type { TrustStore } from '../truststore/index.js';
import { REASON } from './codes.js';
import { makeVerdict, reasonOf, type VerdictLifetimes } from './make-verdict.js';
import { checkPlatforms } from './platforms.js';
import type { RegistryReader, SignatureChecker } from './ports.js';
import { searchSignatures } from './signatures.js';
import { TagCache } from './tag-cache.js';
import type { Decision, Reason, Verdict, VerificationService, VerifyOptions } from './verdict.js';

export interface VerificationServiceOptions {
  /** Required. Registry access (a RegistryClient). */
  registry: RegistryReader;
  /** Required. The Notary engine. */
  checker: SignatureChecker;
  /** Required. The parsed trust policy. */
  policy: TrustPolicyDocument;
  /** Required. Trust anchors. */
  trustStore: TrustStore;
  /** Required. */
  clock: Clock;
  /** Required. */
  logger: Logger;
  /** Required. Decides which registry hosts may be contacted. */
  allowRegistry: (host: string) => boolean;
  /** Optional. Verdict cache (memory and/or Table). Default: none. */
  cache?: ResultCache;
  /** Optional. Signatures tried per artifact. Default 50. */
  maxSignatures?: number;
  /** Optional. Longest lifetime of an allow verdict, seconds. Default 3600. */
  verdictMaxAgeSeconds?: number;
  /** Optional. Lifetime of a deny verdict, seconds (a signature may be pushed right after). Default 60. */
  denyMaxAgeSeconds?: number;
  /** Optional. How long tag → digest resolutions are reused, seconds. Default 30; 0 disables. */
  tagCacheSeconds?: number;
}

type Admitted = { ref: Reference; statement: TrustPolicyStatement; policy: NonNullable<Verdict['policy']> };

/** resolve → policy → referrers → bounded fetch → verify each → decide (the product's one decision). */
export class DefaultVerificationService implements VerificationService {
  private readonly flights = new SingleFlight<Verdict>();
  private readonly tags: TagCache;
  private readonly policyFingerprint: string;
  private readonly lifetimes: VerdictLifetimes;

  constructor(private readonly options: VerificationServiceOptions) {
    this.tags = new TagCache((options.tagCacheSeconds ?? 30) * 1000);
    this.policyFingerprint = fingerprintPolicy(options.policy);
    this.lifetimes = { allowSeconds: options.verdictMaxAgeSeconds ?? 3600, denySeconds: options.denyMaxAgeSeconds ?? 60 };
  }

  /** Fingerprint of the trust policy and trust store contents: part of every cache key. */
  async fingerprint(): Promise<string> {
    const stores = await this.options.trustStore.fingerprint();
    return createHash('sha256').update(`${this.policyFingerprint}\n${stores}`).digest('hex').slice(0, 32);
  }

  async verify(reference: string, options: VerifyOptions = {}): Promise<Verdict> {
    const at = this.options.clock.now();
    const admitted = this.admit(reference, at);
    if (!('ref' in admitted)) return admitted;
    const { ref, policy } = admitted;
    const fingerprint = await this.fingerprint();
    const keyOf = (digest: string): CacheKey => ({ registry: ref.registry, repository: ref.repository, digest, fingerprint });
    const readCache = options.requirePlatforms === undefined && !options.bypassCache;
    const lookup = async (digest: string) => (readCache ? this.options.cache?.get(keyOf(digest), at) : undefined);

    const pinnedHit = ref.digest ? await lookup(ref.digest) : undefined; // a digest needs no registry call at all
    if (pinnedHit) return { ...pinnedHit.verdict, subject: { ...pinnedHit.verdict.subject, reference } };
    let descriptor: Descriptor;
    try {
      descriptor = await this.resolve(ref, options.signal);
    } catch (error) {
      const proven = isAppError(error) && error.kind === 'verification-failed';
      const reason = reasonOf(error, proven ? REASON.manifestNotFound : REASON.registryUnavailable);
      return this.verdict(at, { reference }, proven ? 'deny' : 'inconclusive', [reason], policy);
    }
    const subject = { reference, digest: descriptor.digest, mediaType: descriptor.mediaType };
    const hit = ref.digest ? undefined : await lookup(descriptor.digest);
    if (hit) return { ...hit.verdict, subject };

    const key = keyOf(descriptor.digest);
    const flightKey = `${key.registry}/${key.repository}@${key.digest}#${fingerprint}#${JSON.stringify(options.requirePlatforms ?? null)}`;
    const verdict = await this.flights.run(flightKey, async () => {
      const late = await lookup(descriptor.digest); // another flight may have stored it between our miss and now
      return late ? late.verdict : this.verifyDescriptor(admitted, descriptor, subject, key, at, options);
    });
    this.options.logger.log('info', 'verification.decided', { reference, digest: descriptor.digest, decision: verdict.decision, codes: verdict.reasons.map((r) => r.code) });
    return { ...verdict, subject };
  }

  /** A tag moved (push): resolve it again next time. */
  forgetTag(registry: string, repository: string, tag: string): void {
    this.tags.forget(new Reference(registry, repository, tag).toString());
  }

  /** A digest went away (delete): stop reusing resolutions that point at it. */
  forgetDigest(digest: string): void {
    this.tags.forgetDigest(digest);
  }

  /** The checks that need no network: reference syntax, an applicable policy, level skip, the registry allowlist. */
  private admit(reference: string, at: Date): Admitted | Verdict {
    let ref: Reference;
    try {
      ref = parseReference(reference);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return this.verdict(at, { reference }, 'deny', [reasonOf(error, REASON.invalidReference)]);
    }
    const statement = selectPolicy(this.options.policy, `${ref.registry}/${ref.repository}`);
    if (!statement) {
      return this.verdict(at, { reference }, 'deny', [{ code: REASON.noTrustPolicy, message: `no trust policy applies to ${ref.registry}/${ref.repository}` }]);
    }
    const policy = { name: statement.name, level: resolveLevel(statement.signatureVerification).level };
    if (policy.level === 'skip') {
      return this.verdict(at, { reference, digest: ref.digest }, 'allow', [{ code: REASON.levelSkip, message: `trust policy "${statement.name}" skips verification` }], policy);
    }
    if (!this.options.allowRegistry(ref.registry)) {
      return this.verdict(at, { reference }, 'deny', [{ code: REASON.registryNotAllowed, message: `registry ${ref.registry} is not allowed` }], policy);
    }
    return { ref, statement, policy };
  }

  private async verifyDescriptor(admitted: Admitted, descriptor: Descriptor, subject: Verdict['subject'], key: CacheKey, at: Date, options: VerifyOptions): Promise<Verdict> {
    const { ref, statement, policy } = admitted;
    const search = { registry: this.options.registry, checker: this.options.checker, trustStore: this.options.trustStore, logger: this.options.logger,
      repository: ref, statement, level: policy.level, maxSignatures: this.options.maxSignatures ?? 50, at, signal: options.signal };
    let result = await searchSignatures({ ...search, subject: descriptor });
    if (options.requirePlatforms !== undefined && result.decision !== 'inconclusive') {
      result = await checkPlatforms(search, descriptor, result, options.requirePlatforms);
    }
    const made = this.verdict(at, subject, result.decision, result.reasons, policy, result.outcomes);
    // Platform-specific answers are not the digest's verdict; inconclusive ones are never kept.
    if (options.requirePlatforms === undefined && made.decision !== 'inconclusive') {
      await this.options.cache?.put({ key, verdict: made, source: options.source ?? 'request', storedAt: made.verifiedAt });
    }
    return made;
  }

  private async resolve(ref: Reference, signal?: AbortSignal): Promise<Descriptor> {
    const text = ref.toString();
    const nowMs = this.options.clock.now().getTime();
    const cached = this.tags.get(text, nowMs);
    if (cached) return cached;
    const descriptor = await this.options.registry.resolve(ref, { signal });
    if (!ref.digest) this.tags.set(text, descriptor, nowMs);
    return descriptor;
  }

  private verdict(at: Date, subject: Verdict['subject'], decision: Decision, reasons: Reason[], policy?: Verdict['policy'], signatures: Verdict['signatures'] = []): Verdict {
    return makeVerdict(at, this.lifetimes, { subject, decision, reasons, ...(policy ? { policy } : {}), signatures });
  }
}
