import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/core/index.js';
import type { EvidenceOutcome, Reason, Verdict } from '../../../shared/verdict/index.js';
import type { VerificationService, VerifyOptions } from '../../../shared/verification/index.js';

/** What the fake does for one reference. */
export type Behaviour =
  | { kind: 'allow'; digest?: string }
  | { kind: 'deny'; reasons: Reason[]; evidence?: EvidenceOutcome[] }
  | { kind: 'inconclusive'; reasons: Reason[] }
  | { kind: 'throw'; error: unknown }
  /** Never answers; rejects with the signal's reason when the caller aborts (like a real fetch). */
  | { kind: 'hang' };

export function digestOf(reference: string): string {
  return `sha256:${createHash('sha256').update(reference.split('@')[0] ?? reference).digest('hex')}`;
}

export const goodSignature: EvidenceOutcome = {
  scheme: 'notary',
  evidence: `sha256:${'ab'.repeat(32)}`,
  trustRoot: 'app',
  ok: true,
  checks: [
    { name: 'integrity', action: 'enforce', ok: true },
    { name: 'authenticity', action: 'enforce', ok: true },
  ],
  details: { envelopeMediaType: 'application/jose+json', signingScheme: 'notary.x509', level: 'strict' },
  signer: { subject: 'CN=signer,O=Team', issuer: 'CN=Team CA,O=Team', thumbprints: ['00'.repeat(32)], notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z' },
};

export const untrustedSignature: EvidenceOutcome = {
  ...goodSignature,
  ok: false,
  checks: [
    { name: 'integrity', action: 'enforce', ok: true },
    { name: 'authenticity', action: 'enforce', ok: false, error: { code: 'ERR_UNTRUSTED_SIGNER', message: 'no trusted root' } },
  ],
  error: { code: 'ERR_UNTRUSTED_SIGNER', message: 'no trusted root' },
};

/**
 * Decides by the image name: `unsigned` → deny (no signature), `untrusted` → deny (authenticity failed),
 * `flaky` → inconclusive, `slow` → hang, `boom` → throws a plain Error, `bad-ref` → throws invalid-input; else allow.
 */
export function byName(reference: string): Behaviour {
  if (reference.includes('unsigned')) return { kind: 'deny', reasons: [{ code: 'ERR_NO_SIGNATURE', message: 'no Notary signature found' }] };
  if (reference.includes('untrusted')) return { kind: 'deny', reasons: [{ code: 'ERR_UNTRUSTED_SIGNER', message: 'no trusted root' }], evidence: [untrustedSignature] };
  if (reference.includes('flaky')) return { kind: 'inconclusive', reasons: [{ code: 'ERR_REGISTRY_UNAVAILABLE', message: 'registry answered 503' }] };
  if (reference.includes('slow')) return { kind: 'hang' };
  if (reference.includes('boom')) return { kind: 'throw', error: new Error('socket exploded') };
  if (reference.includes('bad-ref')) return { kind: 'throw', error: new AppError('ERR_INVALID_REFERENCE', 'invalid-input', 'not a reference') };
  return { kind: 'allow' };
}

/** A VerificationService that records its calls and answers from a rule table. */
export class FakeVerificationService implements VerificationService {
  readonly calls: string[] = [];
  readonly signals: Array<AbortSignal | undefined> = [];
  private inflight = 0;
  maxConcurrent = 0;

  constructor(private readonly rule: (reference: string) => Behaviour = byName) {}

  async verify(reference: string, options: VerifyOptions = {}): Promise<Verdict> {
    this.calls.push(reference);
    this.signals.push(options.signal);
    this.inflight += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.inflight);
    try {
      await Promise.resolve(); // let every concurrent call start before any finishes
      return await this.answer(reference, this.rule(reference), options.signal);
    } finally {
      this.inflight -= 1;
    }
  }

  private answer(reference: string, behaviour: Behaviour, signal: AbortSignal | undefined): Promise<Verdict> {
    const base = { subject: { reference }, evidence: [] as EvidenceOutcome[], reasons: [] as Reason[], verifiedAt: '2026-11-01T00:00:00Z', expiresAt: '2026-11-01T01:00:00Z' };
    switch (behaviour.kind) {
      case 'allow':
        return Promise.resolve({ ...base, subject: { reference, digest: behaviour.digest ?? digestOf(reference) }, decision: 'allow', evidence: [goodSignature] });
      case 'deny':
        return Promise.resolve({ ...base, subject: { reference, digest: digestOf(reference) }, decision: 'deny', reasons: behaviour.reasons, evidence: behaviour.evidence ?? [] });
      case 'inconclusive':
        return Promise.resolve({ ...base, decision: 'inconclusive', reasons: behaviour.reasons });
      case 'throw':
        return Promise.reject(behaviour.error);
      case 'hang':
        return new Promise((_, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
    }
  }
}
