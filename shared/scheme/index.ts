/**
 * The evidence-scheme port: what a kind of evidence (Notary, cosign/Sigstore, Docker Content Trust, …) needs from the
 * orchestrator, and what it gives back. Types only. A scheme is one module that exports a SchemeFactory; the composition
 * root lists the factories (one line per scheme). The orchestrator (discovery, bounded fetch, combination, decision,
 * cache, singleflight, deadlines) knows no scheme; schemes know no cache, no HTTP surface and no other scheme.
 */
import type { Clock, FetchLike, Logger } from '../core/index.js';
import type { Descriptor, RegistryCredential, RepositoryRef } from '../oci/index.js';
import type { EvidenceOutcome, Reason, VerdictPolicy } from '../verdict/index.js';

/** A manifest the orchestrator fetched for a scheme: size-capped and digest-checked before the scheme sees it. */
export interface FetchedEvidenceManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
  json: unknown;
}

/**
 * Registry reads on behalf of one scheme and one subject. Every read is bounded by the orchestrator (bytes, count,
 * deadline, egress policy); a scheme cannot lift those bounds. Errors are AppErrors normalised by the orchestrator:
 * kind `verification-failed` means the registry proved that piece of evidence absent or malformed (the scheme records a
 * failed outcome, or skips it); any other kind means it could not be read (code `ERR_REGISTRY_UNAVAILABLE` or
 * `ERR_VERIFICATION_DEADLINE`): the scheme turns it into an `unreachable` reason (using the error's code) or lets it
 * propagate, never into a failed outcome.
 */
export interface EvidenceRegistry {
  /**
   * Referrers of the subject whose artifactType is one of these, each manifest already fetched. Ends after the
   * per-subject evidence limit (the orchestrator then reports the limit). Uses the referrers API or the tag fallback.
   * Only manifests whose own artifactType (or, for the legacy form, config media type) is one of these are yielded and
   * counted. The iteration never throws: listing failures, unreadable manifests (→ unreachable) and manifests the
   * registry proved absent or malformed (→ a failed outcome of this scheme) are recorded by the orchestrator.
   */
  referrers(artifactTypes: readonly string[]): AsyncIterable<FetchedEvidenceManifest>;
  /** The manifest a tag of the subject's repository points at (cosign's `sha256-<hex>.sig`); undefined when absent. */
  manifestByTag(tag: string): Promise<FetchedEvidenceManifest | undefined>;
  /** A blob of the subject's repository, checked against its digest; maxBytes is capped by the orchestrator's limit. */
  blob(descriptor: Descriptor, maxBytes?: number): Promise<Uint8Array>;
}

/** What a scheme says about a repository before any network call. */
export type SchemePlan =
  /** Verify: find and check evidence. */
  | { kind: 'verify'; policy?: VerdictPolicy }
  /** The scheme's own policy says not to verify this scope (Notation level `skip`): satisfied without evidence. */
  | { kind: 'skip'; policy?: VerdictPolicy }
  /** The scheme has no trust configuration for this scope. */
  | { kind: 'none' };

export interface SchemeRequest {
  repository: RepositoryRef;
  /** The tag the caller named, if any (Docker Content Trust signs tags, not digests). */
  tag?: string;
  /** The resolved subject manifest. */
  subject: Descriptor;
  /** The trust roots of this scheme the applicable verification policy names; empty: every root that covers the scope. */
  trustRoots: readonly string[];
  /** The instant to verify at (injected time; never `new Date()`). */
  at: Date;
  /** Aborts at the verification's overall deadline. */
  signal: AbortSignal;
  registry: EvidenceRegistry;
}

export interface SchemeResult {
  /** One outcome per piece of evidence examined (failed ones included). */
  outcomes: EvidenceOutcome[];
  /** Why the scheme could not decide (registry or trust server unreachable, a limit reached). */
  unreachable: Reason[];
}

/** A manifest pushed to a repository, as verify-on-push sees it (a push event does not say what was pushed). */
export interface PushedManifest {
  /** The parsed manifest (already size-capped). */
  json: unknown;
  /** The tag it was pushed under, when the event names one. */
  tag?: string;
}

/** One kind of evidence behind the port. */
export interface EvidenceScheme {
  /** Stable name: 'notary', 'cosign', 'dct', … Used in verdicts, policies and reports. */
  readonly name: string;
  /** Trust roots this scheme has configured (the verification policy may only name these). */
  trustRootNames(): readonly string[];
  /** Pre-network answer for a repository. */
  plan(repository: RepositoryRef): SchemePlan;
  /** Finds and verifies this scheme's evidence for the subject. A bad piece of evidence is a failed outcome, not a throw. */
  verify(request: SchemeRequest): Promise<SchemeResult>;
  /** Fingerprint of trust configuration and material (part of every cache key); memoised, cheap when nothing changed. */
  fingerprint(): Promise<string>;
  /**
   * Optional. What fingerprint() would answer right now when that needs no I/O and no refresh is due; undefined
   * otherwise. Without it a scheme's verdicts are still cached, but every hit awaits fingerprint().
   */
  currentFingerprint?(): string | undefined;
  /**
   * Optional. When `pushed` is this scheme's evidence, the digest of the subject it speaks for (verify-on-push then
   * re-verifies that subject, so an image pushed before its signature is not stuck with "unsigned"); else undefined.
   * No network and no trust decision: verification decides.
   */
  evidenceSubject?(pushed: PushedManifest): string | undefined;
  /**
   * Optional. Hosts the scheme's own configuration names (trust servers, key vaults): the egress policy lets these
   * be loopback or private addresses, as it does for registries the operator named. Everything else must be public.
   */
  egressHosts?(): readonly string[];
}

/** What a scheme factory may use: injected, so schemes stay testable and never read process.env. */
export interface SchemeDeps {
  clock: Clock;
  logger: Logger;
  /** Egress-guarded fetch for the scheme's own remote reads (Rekor, TUF, trust servers): the only network it may use. */
  fetch: FetchLike;
  /** Directory that relative file paths in the scheme's configuration are resolved against. */
  baseDir: string;
  /**
   * Optional. The operator's registry credentials by registry host (the Docker config the registry client uses). A
   * scheme may present one only to that registry's own origin (e.g. trust data ACR serves from the registry host).
   */
  credentials?: (registry: string) => Promise<RegistryCredential | undefined>;
}

/** A scheme module's one export to the composition root. */
export interface SchemeFactory {
  readonly name: string;
  /** Validates this scheme's section of the verification policy (every problem listed, by path) and builds the scheme. */
  create(config: unknown, deps: SchemeDeps): Promise<EvidenceScheme>;
}
