import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { isAppError, Semaphore, SingleFlight, untilAborted, type Clock, type Logger } from '../core/index.js';
import type { CacheKey, ResultCache } from '../cache/index.js';
import { isDigest, Reference, type Descriptor } from '../oci/index.js';
import type { EvidenceScheme, PushedManifest } from '../scheme/index.js';
import type { Metrics } from '../telemetry/index.js';
import type { VerificationPolicyDocument } from '../verification-policy/index.js';
import { admit, type Admitted, type Decided } from './admit.js';
import { REASON } from './codes.js';
import type { Evaluation } from './combine.js';
import { evaluate } from './evaluate.js';
import { makeVerdict, type VerdictLifetimes } from './make-verdict.js';
import { checkPlatforms } from './platforms.js';
import type { RegistryReader } from './ports.js';
import { boundVerdict } from './bounds.js';
import { describeError, reasonOf } from './reasons.js';
import { TagCache } from './tag-cache.js';
import type { Decision, Reason, Verdict, VerificationService, VerifyOptions } from './verdict.js';

export interface VerificationServiceOptions {
  /** Required. Registry access (a RegistryClient). */
  registry: RegistryReader;
  /** Required. The evidence schemes (the composition root's list, built). */
  schemes: readonly EvidenceScheme[];
  /** Optional. Which evidence each scope requires. Default: Notary wherever the Notation trust policy has a statement. */
  verificationPolicy?: { document: VerificationPolicyDocument; fingerprint: string };
  /** Required. */
  clock: Clock;
  /** Required. */
  logger: Logger;
  /** Required. Decides which registry hosts may be contacted. */
  allowRegistry: (host: string) => boolean;
  /** Optional. Verdict cache (memory and/or Table). Default: none. */
  cache?: ResultCache;
  /** Required. Evidence manifests examined per scheme and subject (TRUSTGATE_MAX_SIGNATURES). */
  maxSignatures: number;
  /** Required. Longest lifetime of an allow verdict, seconds (TRUSTGATE_VERDICT_MAX_AGE_S). */
  verdictMaxAgeSeconds: number;
  /** Required. Lifetime of a deny verdict, seconds: evidence may be pushed right after (TRUSTGATE_DENY_MAX_AGE_S). */
  denyMaxAgeSeconds: number;
  /** Required. How long tag → digest resolutions are reused, seconds; 0 disables (TRUSTGATE_TAG_CACHE_S). */
  tagCacheSeconds: number;
  /** Optional. Verdicts, latency and registry errors for operators to chart. Default: none. */
  metrics?: Metrics;
  /** Optional. Verifications reaching the registry at once in this instance, and how many may wait. Default: 32 and 1,024. */
  coldLimits?: { concurrency: number; maxQueue: number };
}

/** The signal of callers without a deadline: it never fires, and every such verification in flight listens to it. */
const NEVER = new AbortController().signal;
setMaxListeners(0, NEVER);
const DEFAULT_COLD_LIMITS = { concurrency: 32, maxQueue: 1024 };
/** References whose pre-network answer (parse, requirement, plans, allowlist) is remembered; all of it is configuration. */
const ADMITTED_MEMO_ENTRIES = 4096;

/** What one decision learnt on the way, for metrics. */
interface DecisionFacts {
  cached?: boolean;
  registryError?: { registry: string; code: string };
}

/** admit → resolve → cache → for each required scheme: discover, bounded fetch, verify → combine → decide → cache. */
export class DefaultVerificationService implements VerificationService {
  private readonly flights = new SingleFlight<Verdict>();
  private readonly tags: TagCache;
  private readonly lifetimes: VerdictLifetimes;
  private readonly schemes: ReadonlyMap<string, EvidenceScheme>;
  private readonly cold: Semaphore;
  private readonly admittedMemo = new Map<string, Admitted | Decided>();
  /** The combined fingerprint and the scheme fingerprints (in scheme order) it was hashed from. */
  private combined: { parts: readonly string[]; value: string } | undefined;

  constructor(private readonly options: VerificationServiceOptions) {
    this.tags = new TagCache(options.tagCacheSeconds * 1000);
    this.lifetimes = { allowSeconds: options.verdictMaxAgeSeconds, denySeconds: options.denyMaxAgeSeconds };
    this.schemes = new Map(options.schemes.map((s) => [s.name, s]));
    const limits = options.coldLimits ?? DEFAULT_COLD_LIMITS;
    this.cold = new Semaphore(limits.concurrency, limits.maxQueue);
  }

  /** Fingerprint of every scheme's trust configuration and material, and of the verification policy: part of every cache key. */
  async fingerprint(): Promise<string> {
    return this.combine(await Promise.all([...this.schemes.values()].map((s) => s.fingerprint())));
  }

  /** fingerprint() when every scheme knows its own without I/O; else undefined. */
  private currentFingerprint(): string | undefined {
    const prints: string[] = [];
    for (const scheme of this.schemes.values()) {
      const print = scheme.currentFingerprint?.();
      if (print === undefined) return undefined;
      prints.push(print);
    }
    return this.combine(prints);
  }

  /** The schemes' fingerprints (in scheme order) and the policy's, hashed only when one changed: every verification asks. */
  private combine(prints: readonly string[]): string {
    const last = this.combined;
    if (last !== undefined && last.parts.length === prints.length && last.parts.every((p, i) => p === prints[i])) return last.value;
    const names = [...this.schemes.keys()];
    const parts = prints.map((print, i) => `${names[i]}=${print}`).sort();
    parts.push(`policy=${this.options.verificationPolicy?.fingerprint ?? 'default'}`);
    this.combined = { parts: prints, value: createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32) };
    return this.combined.value;
  }

  /** The subject digest a pushed manifest is evidence for, as the first configured scheme that recognises it says. */
  evidenceSubject(pushed: PushedManifest): string | undefined {
    for (const scheme of this.schemes.values()) {
      const digest = scheme.evidenceSubject?.(pushed);
      if (digest !== undefined && isDigest(digest)) return digest;
    }
    return undefined;
  }

  async verify(reference: string, options: VerifyOptions = {}): Promise<Verdict> {
    const started = performance.now();
    const facts: DecisionFacts = {};
    const known = options.requirePlatforms === undefined && !options.bypassCache ? this.fromMemory(reference, facts) : undefined;
    const verdict = known ?? (await this.decide(reference, options, facts));
    this.record(verdict, options.source ?? 'request', started, facts);
    return verdict;
  }

  cached(reference: string): Verdict | undefined {
    const started = performance.now();
    const facts: DecisionFacts = {};
    const verdict = this.fromMemory(reference, facts);
    if (verdict) this.record(verdict, 'request', started, facts);
    return verdict;
  }

  private record(verdict: Verdict, source: NonNullable<VerifyOptions['source']>, started: number, facts: DecisionFacts): void {
    const metrics = this.options.metrics;
    if (!metrics) return;
    const reason = verdict.decision === 'allow' ? undefined : verdict.reasons[0]?.code;
    metrics.verdict(verdict.decision, reason, source);
    metrics.verificationLatency(performance.now() - started, verdict.decision, facts.cached === true);
    if (facts.registryError) metrics.registryError(facts.registryError.registry, facts.registryError.code);
  }

  /**
   * What decide() answers without waiting for anything: a pre-network decision, or a memory-tier hit for a digest or
   * a usable tag resolution under the current fingerprint (a stale resolution starts its one background refresh, as
   * decide() does). Undefined whenever decide() would await: then decide() answers, the same way.
   */
  private fromMemory(reference: string, facts: DecisionFacts): Verdict | undefined {
    const at = this.options.clock.now();
    const admitted = this.admitted(reference);
    if (!('ref' in admitted)) return this.decided(at, reference, admitted);
    const cache = this.options.cache;
    const fingerprint = cache?.peek ? this.currentFingerprint() : undefined;
    if (cache?.peek === undefined || fingerprint === undefined) return undefined;
    const { ref } = admitted;
    if (ref.digest) {
      const hit = cache.peek({ registry: ref.registry, repository: ref.repository, digest: ref.digest, fingerprint }, at);
      if (hit) facts.cached = true;
      return hit && { ...hit.verdict, subject: { ...hit.verdict.subject, reference } };
    }
    const clock = this.options.clock;
    const descriptor = this.tags.usable(ref.toString(), at.getTime(), () => clock.now().getTime(), () => this.options.registry.resolve(ref, {}));
    if (descriptor === undefined) return undefined;
    const hit = cache.peek({ registry: ref.registry, repository: ref.repository, digest: descriptor.digest, fingerprint }, at);
    if (hit) facts.cached = true;
    return hit && { ...hit.verdict, subject: { reference, digest: descriptor.digest, mediaType: descriptor.mediaType } };
  }

  /** admit() remembered per reference text: it reads only the reference and configuration fixed for this service. */
  private admitted(reference: string): Admitted | Decided {
    const known = this.admittedMemo.get(reference);
    if (known !== undefined) return known;
    const admitted = admit(reference, { schemes: this.schemes, document: this.options.verificationPolicy?.document, allowRegistry: this.options.allowRegistry });
    if (this.admittedMemo.size >= ADMITTED_MEMO_ENTRIES) this.admittedMemo.delete(this.admittedMemo.keys().next().value as string);
    this.admittedMemo.set(reference, admitted);
    return admitted;
  }

  private decided(at: Date, reference: string, decided: Decided): Verdict {
    const subject = { reference, ...(decided.digest ? { digest: decided.digest } : {}) };
    return this.verdict(at, subject, decided.decision, decided.reasons, decided.policy);
  }

  private async decide(reference: string, options: VerifyOptions, facts: DecisionFacts): Promise<Verdict> {
    const at = this.options.clock.now();
    const admitted = this.admitted(reference);
    if (!('ref' in admitted)) return this.decided(at, reference, admitted);
    const { ref, policy } = admitted;
    const signal = options.signal ?? NEVER;
    const fingerprint = await this.fingerprint();
    const keyOf = (digest: string): CacheKey => ({ registry: ref.registry, repository: ref.repository, digest, fingerprint });
    const readCache = options.requirePlatforms === undefined && !options.bypassCache;
    const lookup = async (digest: string) => (readCache ? this.options.cache?.get(keyOf(digest), at) : undefined);

    const pinnedHit = ref.digest ? await lookup(ref.digest) : undefined; // a digest needs no registry call at all
    if (pinnedHit) {
      facts.cached = true;
      return { ...pinnedHit.verdict, subject: { ...pinnedHit.verdict.subject, reference } };
    }
    let descriptor: Descriptor;
    try {
      descriptor = await this.resolve(ref, signal);
    } catch (error) {
      if (signal.aborted) return this.verdict(at, { reference }, 'inconclusive', [deadlineReason()], policy);
      const proven = isAppError(error) && error.kind === 'verification-failed';
      if (!proven) facts.registryError = { registry: ref.registry, code: isAppError(error) ? error.code : REASON.registryUnavailable };
      const reason = reasonOf(error, proven ? REASON.manifestNotFound : REASON.registryUnavailable);
      return this.verdict(at, { reference }, proven ? 'deny' : 'inconclusive', [reason], policy);
    }
    const subject = { reference, digest: descriptor.digest, mediaType: descriptor.mediaType };
    const hit = ref.digest ? undefined : await lookup(descriptor.digest);
    if (hit) {
      facts.cached = true;
      return { ...hit.verdict, subject };
    }

    const key = keyOf(descriptor.digest);
    const flightKey = `${key.registry}/${key.repository}@${key.digest}#${fingerprint}#${JSON.stringify(options.requirePlatforms ?? null)}`;
    const verdict = await this.flights.run(flightKey, async () => {
      const late = await lookup(descriptor.digest); // another flight may have stored it between our miss and now
      if (late) return late.verdict;
      return this.withColdSlot(signal, () => this.verifyDescriptor(admitted, descriptor, subject, key, at, options, signal), (reason) => this.verdict(at, subject, 'inconclusive', [reason], policy));
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

  private async verifyDescriptor(
    admitted: Admitted, descriptor: Descriptor, subject: Verdict['subject'], key: CacheKey, at: Date, options: VerifyOptions, signal: AbortSignal,
  ): Promise<Verdict> {
    const context = {
      reader: this.options.registry, schemes: this.schemes, plans: admitted.plans, requirement: admitted.requirement, reference: admitted.ref,
      maxEvidence: this.options.maxSignatures, logger: this.options.logger, at, signal,
    };
    let result: Evaluation = await evaluate(context, descriptor);
    if (options.requirePlatforms !== undefined && result.decision !== 'inconclusive') {
      const read = { reader: this.options.registry, repository: admitted.ref, signal };
      result = await checkPlatforms(read, descriptor, result, options.requirePlatforms, (child) => evaluate(context, child));
    }
    if (signal.aborted && result.decision !== 'allow') result = { ...result, decision: 'inconclusive', reasons: [deadlineReason()] };
    const made = this.verdict(at, subject, result.decision, result.reasons, admitted.policy, result.evidence);
    // Platform-specific answers are not the digest's verdict; inconclusive ones are never kept.
    if (options.requirePlatforms === undefined && made.decision !== 'inconclusive') {
      await this.options.cache?.put({ key, verdict: made, source: options.source ?? 'request', storedAt: made.verifiedAt });
    }
    return made;
  }

  private async resolve(ref: Reference, signal: AbortSignal): Promise<Descriptor> {
    if (ref.digest) return this.options.registry.resolve(ref, { signal });
    // One refresh per tag at a time; callers keep the last good descriptor meanwhile (no stampede when the TTL runs
    // out). The refresh is shared, so it is bounded by the transport's timeout, not by one caller's deadline.
    const clock = this.options.clock;
    const shared = this.tags.getOrRefresh(ref.toString(), () => clock.now().getTime(), () => this.options.registry.resolve(ref, {}));
    return untilAborted(shared, signal);
  }

  /**
   * At most `maxColdVerifications` verifications that reach the registry run at once in this instance; cache hits never
   * wait for a slot, so admission of verified images stays a lookup while hostile or slow verifications queue.
   */
  private async withColdSlot(signal: AbortSignal, work: () => Promise<Verdict>, refused: (reason: Reason) => Verdict): Promise<Verdict> {
    let release: () => void;
    try {
      release = await this.cold.acquire(signal);
    } catch (error) {
      if (signal.aborted) return refused(deadlineReason());
      return refused({ code: REASON.busy, message: `too many verifications in progress on this instance; retry shortly (${describeError(error)})` });
    }
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Every verdict is bounded (long names, lists) before it is cached or returned: its size is never the attacker's. */
  private verdict(at: Date, subject: Verdict['subject'], decision: Decision, reasons: Reason[], policy?: Verdict['policy'], evidence: Verdict['evidence'] = []): Verdict {
    return boundVerdict(makeVerdict(at, this.lifetimes, { subject, decision, reasons, ...(policy ? { policy } : {}), evidence }));
  }
}

function deadlineReason(): Reason {
  return { code: REASON.deadline, message: 'the caller\'s deadline was reached before the verification could decide' };
}
