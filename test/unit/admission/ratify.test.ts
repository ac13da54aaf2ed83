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

describe('Ratify-compatible report without evidence', () => {
  const denied = (policy: Verdict['policy']) => {
    const verdict: Verdict = { subject: { reference: 'r.test/app:1', digest: 'sha256:aa' }, decision: 'deny', ...(policy ? { policy } : {}), evidence: [], reasons: [{ code: 'ERR_NO_SIGNATURE', message: 'no cosign signature found' }], verifiedAt: 'x', expiresAt: 'x' };
    return toRatifyResult({ image: 'r.test/app:1', digest: 'sha256:aa', decision: 'deny' as const, reasons: verdict.reasons, verdict });
  };

  it('is trustgate\'s own when a verification policy decided and no Notation statement applied', () => {
    const [report] = denied({ name: 'cosign-apps' }).verifierReports;
    expect([report?.verifierType, report?.name, report?.isSuccess]).toEqual(['trustgate', 'trustgate', false]);
    expect(report?.message).toContain('no cosign signature found');
  });

  it('stays notation\'s when a Notation statement applied, or no policy did (unchanged Notary behaviour)', () => {
    expect(denied({ name: 'e2e', level: 'strict' }).verifierReports[0]?.name).toBe('trustgate-notation');
    expect(denied(undefined).verifierReports[0]?.name).toBe('trustgate-notation');
  });
});
