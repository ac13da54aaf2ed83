import { AppError, isAppError, type Logger } from '../core/index.js';
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
}

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
  constructor(private readonly options: PushHandlerOptions) {}

  async handle(event: AcrImageEvent, signal?: AbortSignal): Promise<PushOutcome> {
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
    const verdict = await this.options.service.verify(subject, { bypassCache: true, source: 'push', ...(signal ? { signal } : {}) });
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
