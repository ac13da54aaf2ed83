import { createHash } from 'node:crypto';
import type { CachedVerdict, CacheKey, VerdictSource } from '../../../shared/cache/index.js';
import type { Decision, Verdict } from '../../../shared/verdict/index.js';

export const BASE_KEY: CacheKey = {
  registry: 'myregistry.azurecr.io',
  repository: 'team/app',
  digest: 'sha256:' + 'a'.repeat(64),
  fingerprint: 'f'.repeat(64),
};

export interface VerdictShape {
  key?: Partial<CacheKey>;
  decision?: Decision;
  verifiedAt?: string;
  expiresAt?: string;
  source?: VerdictSource;
  /** Adds this many signatures with long check messages (for size tests). */
  signatures?: number;
  /** Characters of each signature's error message (random-ish text compresses worse). */
  messageChars?: number;
}

/** A realistic cached verdict; every field can be varied by the test. */
export function cachedVerdict(shape: VerdictShape = {}): CachedVerdict {
  const key = { ...BASE_KEY, ...shape.key };
  const verdict: Verdict = {
    subject: { reference: `${key.registry}/${key.repository}@${key.digest}`, digest: key.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json' },
    decision: shape.decision ?? 'allow',
    policy: { name: 'prod', level: 'strict' },
    evidence: Array.from({ length: shape.signatures ?? 1 }, (_, i) => ({
      scheme: 'notary',
      evidence: 'sha256:' + i.toString(16).padStart(64, '0'),
      ok: i === 0,
      checks: [{ name: 'integrity', action: 'enforce' as const, ok: true }],
      details: { envelopeMediaType: 'application/jose+json', level: 'strict' },
      signer: {
        subject: `CN=signer ${i},O=Contoso,C=US`,
        issuer: 'CN=Contoso CA,O=Contoso,C=US',
        thumbprints: ['1'.repeat(64), '2'.repeat(64)],
        notBefore: '2026-01-01T00:00:00Z',
        notAfter: '2027-01-01T00:00:00Z',
      },
      ...(shape.messageChars ? { error: { code: 'ERR_X', message: pseudoRandomText(shape.messageChars, i) } } : {}),
    })),
    reasons: [{ code: 'OK', message: 'signature verified' }],
    verifiedAt: shape.verifiedAt ?? '2026-11-01T00:00:00.000Z',
    expiresAt: shape.expiresAt ?? '2026-11-02T00:00:00.000Z',
  };
  return { key, verdict, source: shape.source ?? 'request', storedAt: verdict.verifiedAt };
}

/** Deterministic text that gzip cannot shrink much (SHA-256 output, base64). */
function pseudoRandomText(length: number, seed: number): string {
  let out = '';
  for (let block = 0; out.length < length; block++) out += createHash('sha256').update(`${seed}:${block}`).digest('base64');
  return out.slice(0, length);
}
