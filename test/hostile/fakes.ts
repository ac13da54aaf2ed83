import { createHash } from 'node:crypto';

/**
 * A verification service that allows everything with a digest derived from the reference, and counts calls and the
 * most verifications it saw at once. Speaks the old (signatures) and new (evidence) verdict shapes.
 */
export class DigestFakeService {
  calls = 0;
  peak = 0;
  private inFlight = 0;

  /** No pushed manifest is evidence here: every push is an image. */
  evidenceSubject(): string | undefined {
    return undefined;
  }

  async verify(reference: string): Promise<never> {
    this.calls++;
    this.peak = Math.max(this.peak, ++this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const digest = `sha256:${createHash('sha256').update(reference).digest('hex')}`;
      return {
        subject: { reference, digest },
        decision: 'allow',
        evidence: [],
        reasons: [{ code: 'OK', message: 'fake' }],
        verifiedAt: '2026-11-30T00:00:00Z',
        expiresAt: '2026-11-30T01:00:00Z',
      } as never;
    } finally {
      this.inFlight--;
    }
  }

  forgetDigest(): void {}
  forgetTag(): void {}
}
