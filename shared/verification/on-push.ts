import { AppError, SingleFlight, isAppError, systemClock, type Clock, type Logger } from '../core/index.js';
import type { ResultCache } from '../cache/index.js';
import type { AcrImageEvent } from '../events/index.js';
import { MAX_SIGNATURE_MANIFEST_BYTES } from './codes.js';
import type { RegistryReader } from './ports.js';
import type { DefaultVerificationService } from './service.js';
import type { Verdict } from './verdict.js';

export class PushHandlingError extends AppError {}

export interface PushHandlerOptions {
  /** Required. */
  service: DefaultVerificationService;
  /** Required. Reads the pushed manifest (a signature push is only recognisable by its content). */
  registry: RegistryReader;
  /** Required. Where verdicts are kept (deletes remove them). */
  cache: ResultCache;
  /** Required. Registries events may make us contact; others are ignored with a log line. */
  allowRegistry: (host: string) => boolean;
  /** Required. */
  logger: Logger;
  /** Optional. Default: systemClock. */
  clock?: Clock;
  /** Optional. A push of a digest handled successfully this recently is not handled again (Event Grid redelivers, ACR sends bursts). Default: 30000. */
  dedupMs?: number;
}

const MAX_REMEMBERED_PUSHES = 10_000;

export type PushOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'deleted' }
  | { kind: 'verified'; subject: string; decision: Verdict['decision']; signaturePush: boolean };

/**
 * Verify-on-push (ACR ImagePushed / ImageDeleted). Events are at-least-once and unordered, so every
 * action is idempotent by digest: a push re-verifies and overwrites, a delete removes. A signature push
 * re-verifies its subject (each scheme recognises its own evidence), so an image pushed before its signature is not stuck with "unsigned".
 * An inconclusive result throws, so Event Grid retries the delivery.
 */
export class PushHandler {
  /** Events for the same digest in flight share one handling; subjects being verified share one verification. */
  private readonly eventFlights = new SingleFlight<PushOutcome>();
  private readonly verifyFlights = new SingleFlight<Verdict>();
  /** Pushes handled successfully, by digest key, until the instant they may be handled again. */
  private readonly recent = new Map<string, { outcome: PushOutcome; until: number }>();

  constructor(private readonly options: PushHandlerOptions) {}

  /**
   * Handles one event, de-duplicated by digest: 2,000 events for one digest once cost 8,001 registry requests.
   * Concurrent duplicates share the in-flight handling; a push handled successfully in the last `dedupMs` answers
   * from memory (a failure is never remembered, so Event Grid's retry does real work).
   */
  async handle(event: AcrImageEvent, signal?: AbortSignal): Promise<PushOutcome> {
    const key = `${event.type}|${event.registry}|${event.repository}|${event.digest}|${event.tag ?? ''}`;
    const now = (this.options.clock ?? systemClock).now().getTime();
    const remembered = this.recent.get(key);
    if (remembered !== undefined && remembered.until > now) {
      this.options.logger.log('debug', 'push.duplicate', { registry: event.registry, repository: event.repository, digest: event.digest });
      return remembered.outcome;
    }
    const outcome = await this.eventFlights.run(key, () => this.handleOnce(event, signal));
    if (event.type === 'ImageDeleted') this.forgetPushes(event);
    else this.remember(key, outcome, now);
    return outcome;
  }

  private remember(key: string, outcome: PushOutcome, now: number): void {
    this.recent.delete(key);
    this.recent.set(key, { outcome, until: now + (this.options.dedupMs ?? 30_000) });
    if (this.recent.size > MAX_REMEMBERED_PUSHES) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  /** A delete makes the next push of that digest real work again. */
  private forgetPushes(event: AcrImageEvent): void {
    const suffix = `|${event.registry}|${event.repository}|${event.digest}|`;
    for (const key of this.recent.keys()) if (key.startsWith('ImagePushed') && key.includes(suffix)) this.recent.delete(key);
  }

  private async handleOnce(event: AcrImageEvent, signal?: AbortSignal): Promise<PushOutcome> {
    const { registry, repository, digest } = event;
    if (!this.options.allowRegistry(registry)) {
      this.options.logger.log('info', 'push.ignored_registry', { registry, repository, digest });
      return { kind: 'ignored', reason: `registry ${registry} is not allowed` };
    }
    if (event.type === 'ImageDeleted') {
      this.options.service.forgetDigest(digest);
      await this.options.cache.deleteDigest(registry, repository, digest);
      this.options.logger.log('info', 'push.deleted', { registry, repository, digest });
      return { kind: 'deleted' };
    }
    if (event.tag) this.options.service.forgetTag(registry, repository, event.tag);

    const signatureSubject = await this.signatureSubject(event, signal);
    const subjectDigest = signatureSubject ?? digest;
    const subject = `${registry}/${repository}@${subjectDigest}`;
    const verdict = await this.verifyFlights.run(subject, () => this.options.service.verify(subject, { bypassCache: true, source: 'push', ...(signal ? { signal } : {}) }));
    this.options.logger.log('info', 'push.verified', { subject, decision: verdict.decision, signaturePush: signatureSubject !== undefined });
    if (verdict.decision === 'inconclusive') {
      throw new PushHandlingError('ERR_PUSH_INCONCLUSIVE', 'inconclusive', `${subject}: ${verdict.reasons.map((r) => r.code).join(', ')}`);
    }
    return { kind: 'verified', subject, decision: verdict.decision, signaturePush: signatureSubject !== undefined };
  }

  /** The subject digest when the pushed manifest is a configured scheme's evidence (the event itself does not say). */
  private async signatureSubject(event: AcrImageEvent, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const { json } = await this.options.registry.fetchManifest({ registry: event.registry, repository: event.repository }, event.digest, {
        maxBytes: MAX_SIGNATURE_MANIFEST_BYTES,
        ...(signal ? { signal } : {}),
      });
      return this.options.service.evidenceSubject({ json, ...(event.tag ? { tag: event.tag } : {}) });
    } catch (error) {
      if (isAppError(error) && error.kind === 'verification-failed') return undefined; // gone already: verify() will say so
      throw error; // registry unavailable: let Event Grid retry
    }
  }
}
