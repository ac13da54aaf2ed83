import { describe, expect, it } from 'vitest';
import { toRatifyResult } from '../../../shared/admission/ratify.js';
import type { EvidenceOutcome, Verdict } from '../../../shared/verdict/index.js';
import { goodSignature } from './fake-verification.js';

const cosign: EvidenceOutcome = { scheme: 'cosign', evidence: 'sha256:c0', trustRoot: 'release-key', ok: true, checks: [{ name: 'signature', action: 'enforce', ok: true }] };

function imageVerdict(evidence: EvidenceOutcome[]) {
  const verdict: Verdict = { subject: { reference: 'r.test/app:1', digest: 'sha256:aa' }, decision: 'allow', evidence, reasons: [], verifiedAt: 'x', expiresAt: 'x' };
  return { image: 'r.test/app:1', digest: 'sha256:aa', decision: 'allow' as const, reasons: [], verdict };
}

describe('Ratify-compatible report', () => {
  it('names the verifier per scheme: notation for Notary (existing templates), cosign for cosign', () => {
    const result = toRatifyResult(imageVerdict([goodSignature, cosign]));
    expect(result.verifierReports.map((r) => [r.verifierType, r.name, r.artifactType])).toEqual([
      ['notation', 'trustgate-notation', 'application/vnd.cncf.notary.signature'],
      ['cosign', 'trustgate-cosign', 'application/vnd.dev.cosign.artifact.sig.v1+json'],
    ]);
    expect(result.verifierReports[0]?.extensions).toMatchObject({ scheme: 'notary', level: 'strict', envelopeMediaType: 'application/jose+json', signatureDigest: goodSignature.evidence });
    expect(result.verifierReports[1]?.extensions).toMatchObject({ scheme: 'cosign', trustRoot: 'release-key' });
  });

  it('names an unknown scheme after itself rather than pretending to be notation', () => {
    const [report] = toRatifyResult(imageVerdict([{ ...cosign, scheme: 'dct' }])).verifierReports;
    expect([report?.verifierType, report?.name]).toEqual(['dct', 'trustgate-dct']);
  });
});
