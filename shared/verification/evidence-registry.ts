import { isAbortError, isAppError, Semaphore, settle, type Settled } from '../core/index.js';
import { Reference, type Descriptor, type RepositoryRef } from '../oci/index.js';
import type { EvidenceRegistry, FetchedEvidenceManifest } from '../scheme/index.js';
import type { EvidenceOutcome, Reason } from '../verdict/index.js';
import { MAX_ENVELOPE_BYTES, MAX_EVIDENCE_MANIFEST_BYTES, REASON } from './codes.js';
import { VerificationError, type VerificationErrorCode } from './errors.js';
import { describeError } from './reasons.js';
import type { RegistryReader } from './ports.js';

export interface BoundedEvidenceRegistryOptions {
  reader: RegistryReader;
  scheme: string;
  repository: RepositoryRef;
  subject: Descriptor;
  /** Evidence manifests handed to the scheme per subject, at most. */
  maxEvidence: number;
  signal: AbortSignal;
  /** Optional. Registry reads in flight for this subject at once (manifests read ahead, the scheme's blobs). Default: 4. */
  concurrency?: number;
}

/** Reads in flight per scheme and subject: evidence is fetched ahead of the scheme, never more than this at once. */
export const EVIDENCE_FETCH_CONCURRENCY = 4;

interface Ahead {
  descriptor: Descriptor;
  fetched: Promise<Settled<FetchedEvidenceManifest>>;
}

/**
 * The registry as one scheme sees it for one subject: every read bounded (manifest 4 MiB, blob 32 MiB, evidence
 * count), checked against the descriptor asked for, and every error normalised to the verification module's
 * (`verification-failed`: proven absent or malformed; `inconclusive`: could not read). The RegistryReader checks each
 * body against its digest and size. What goes wrong while listing is recorded here (never thrown into the scheme),
 * so a scheme's loop ends cleanly and the orchestrator reports it.
 *
 * Evidence manifests are fetched ahead of the scheme, `concurrency` at a time, and handed over in listed order with
 * their outcome recorded in that order, so the scheme decides exactly as if they were fetched one after another.
 * A fetch is started only while the manifests in flight could all still count within `maxEvidence`: a hostile
 * subject with thousands of referrers costs at most `maxEvidence` manifest reads, as before.
 */
export class BoundedEvidenceRegistry implements EvidenceRegistry {
  /** Reasons the listing could not be completed (registry errors, the evidence limit). */
  readonly unreachable: Reason[] = [];
  /** Referrers whose manifest the registry proved absent or malformed: failed evidence of this scheme. */
  readonly failed: EvidenceOutcome[] = [];
  /** Listing position of each record above (same order): a scheme reading ahead must not make them depend on timing. */
  private readonly unreachableAt: number[] = [];
  private readonly failedAt: number[] = [];
  /** Listing position of each distinct descriptor listed so far. */
  private readonly positions = new Map<string, number>();
  private handed = 0;
  private readonly reads: Semaphore;
  private readonly window: number;

  constructor(private readonly options: BoundedEvidenceRegistryOptions) {
    this.window = options.concurrency ?? EVIDENCE_FETCH_CONCURRENCY;
    this.reads = new Semaphore(this.window);
  }

  async *referrers(artifactTypes: readonly string[]): AsyncIterable<FetchedEvidenceManifest> {
    const listing = this.list(artifactTypes)[Symbol.asyncIterator]();
    const ahead: Ahead[] = [];
    let listed = false;
    try {
      for (;;) {
        // Each manifest in flight may count: start another only while all of them still fit under the limit.
        while (!listed && ahead.length < this.window && this.handed + ahead.length < this.options.maxEvidence) {
          const next = await listing.next();
          if (next.done) listed = true;
          else ahead.push({ descriptor: next.value, fetched: settle(() => this.manifest(next.value)) });
        }
        const head = ahead.shift();
        if (!head) {
          if (!listed && !(await listing.next()).done) {
            this.reportUnreachable({ code: REASON.signatureLimit, message: `stopped after ${this.options.maxEvidence} ${this.options.scheme} evidence manifests` });
          }
          return;
        }
        const fetched = this.counted(head.descriptor, await head.fetched, artifactTypes);
        if (fetched) yield fetched;
      }
    } finally {
      if (!listed) await listing.return?.(undefined);
    }
  }

  /** Distinct referrer descriptors of the wanted types, in listed order; a listing failure is recorded and ends it. */
  private async *list(artifactTypes: readonly string[]): AsyncGenerator<Descriptor> {
    const { reader, repository, subject, signal } = this.options;
    const seen = new Set<string>();
    for (const artifactType of artifactTypes) {
      try {
        for await (const descriptor of reader.referrers(repository, subject, { artifactType, signal })) {
          if (seen.has(descriptor.digest)) continue;
          seen.add(descriptor.digest);
          this.positions.set(descriptor.digest, this.positions.size);
          yield descriptor;
        }
      } catch (error) {
        this.reportUnreachable({ code: REASON.registryUnavailable, message: `listing ${this.options.scheme} evidence failed: ${describeError(error)}` });
        return;
      }
    }
  }

  async manifestByTag(tag: string): Promise<FetchedEvidenceManifest | undefined> {
    const { reader, repository, signal } = this.options;
    let descriptor: Descriptor;
    try {
      descriptor = await reader.resolve(new Reference(repository.registry, repository.repository, tag), { signal });
    } catch (error) {
      const normalised = normalise(error);
      if (normalised.kind === 'verification-failed') return undefined; // no such tag: no evidence there
      throw normalised;
    }
    return this.manifest(descriptor);
  }

  async blob(descriptor: Descriptor, maxBytes = MAX_ENVELOPE_BYTES): Promise<Uint8Array> {
    const cap = Math.min(maxBytes, MAX_ENVELOPE_BYTES);
    if (descriptor.size > cap) throw new VerificationError('ERR_EVIDENCE_TOO_LARGE', `blob ${descriptor.digest} is ${descriptor.size} bytes, over ${cap}`);
    try {
      return await this.reads.run(() => this.options.reader.fetchBlob(this.options.repository, descriptor, { signal: this.options.signal, maxBytes: cap }), this.options.signal);
    } catch (error) {
      throw normalise(error);
    }
  }

  /** One referrer's manifest, counted; undefined when it is not evidence of the wanted types (it does not count). */
  private counted(descriptor: Descriptor, result: Settled<FetchedEvidenceManifest>, artifactTypes: readonly string[]): FetchedEvidenceManifest | undefined {
    if (!result.ok) {
      const error = result.error;
      this.handed++; // a referrer we could not read counts: it might have been the good one
      const at = this.positions.get(descriptor.digest) ?? this.positions.size;
      if (isAppError(error) && error.kind === 'verification-failed') {
        this.failed.push(this.failure(descriptor, error));
        this.failedAt.push(at);
      } else {
        this.reportUnreachable({ code: REASON.registryUnavailable, message: `${this.options.scheme} evidence ${descriptor.digest}: ${describeError(error)}` }, at);
      }
      return undefined;
    }
    if (!artifactTypes.includes(effectiveArtifactType(result.value.json))) return undefined;
    this.handed++;
    return result.value;
  }

  /**
   * What the registry recorded up to the evidence that passed (`passed`: its manifest digest), so a scheme that read
   * ahead reports exactly what reading one at a time would have: nothing listed after the pass. Everything without one.
   */
  recordedUntil(passed: string | undefined): { failed: EvidenceOutcome[]; unreachable: Reason[] } {
    const end = passed === undefined ? undefined : this.positions.get(passed);
    if (end === undefined) return { failed: [...this.failed], unreachable: [...this.unreachable] };
    return {
      failed: this.failed.filter((_, i) => (this.failedAt[i] as number) < end),
      unreachable: this.unreachable.filter((_, i) => (this.unreachableAt[i] as number) < end),
    };
  }

  /** A reason, at the listing position it was met (default: the next one to be listed). */
  private reportUnreachable(reason: Reason, at = this.positions.size): void {
    this.unreachable.push(reason);
    this.unreachableAt.push(at);
  }

  private async manifest(wanted: Descriptor): Promise<FetchedEvidenceManifest> {
    let fetched: FetchedEvidenceManifest;
    try {
      fetched = await this.reads.run(() => this.options.reader.fetchManifest(this.options.repository, wanted, { signal: this.options.signal, maxBytes: MAX_EVIDENCE_MANIFEST_BYTES }), this.options.signal);
    } catch (error) {
      throw normalise(error);
    }
    if (fetched.descriptor.digest !== wanted.digest) {
      throw new VerificationError('ERR_REGISTRY_UNAVAILABLE', `asked for ${wanted.digest}, the registry answered ${fetched.descriptor.digest}`);
    }
    return fetched;
  }

  private failure(descriptor: Descriptor, error: VerificationError | { code: string; message: string }): EvidenceOutcome {
    const reason = { code: error.code, message: error.message };
    return { scheme: this.options.scheme, evidence: descriptor.digest, ok: false, checks: [{ name: 'integrity', action: 'enforce', ok: false, error: reason }], error: reason };
  }
}

/** OCI 1.1: a manifest's artifactType, else its config media type (the legacy form of artifacts). */
function effectiveArtifactType(json: unknown): string {
  const manifest = json as { artifactType?: unknown; config?: { mediaType?: unknown } } | null;
  const type = manifest?.artifactType ?? manifest?.config?.mediaType;
  return typeof type === 'string' ? type : '';
}

const DEFINITIVE: readonly VerificationErrorCode[] = ['ERR_MANIFEST_NOT_FOUND', 'ERR_BLOB_NOT_FOUND', 'ERR_INVALID_MANIFEST', 'ERR_INVALID_DESCRIPTOR'];

/**
 * A piece of evidence fails for good only when the registry proved it absent or it is malformed. Bytes that do not
 * match their digest or size say the registry served something else: the real evidence was not checked, so that is
 * inconclusive (it might have been the good one), never a pass.
 */
function normalise(error: unknown): VerificationError {
  if (error instanceof VerificationError) return error;
  if (isAppError(error) && (DEFINITIVE as readonly string[]).includes(error.code)) {
    return new VerificationError(error.code as VerificationErrorCode, error.message, { cause: error });
  }
  if (isAppError(error) && error.kind === 'invalid-input') return new VerificationError('ERR_INVALID_DESCRIPTOR', describeError(error), { cause: error });
  if (isAbortError(error) || (isAppError(error) && error.code === 'ERR_REGISTRY_ABORTED')) return new VerificationError('ERR_VERIFICATION_DEADLINE', 'the verification deadline was reached', { cause: error });
  return new VerificationError('ERR_REGISTRY_UNAVAILABLE', describeError(error), { cause: error });
}
