import type { Certificate } from './certificate.js';

export type ValidityProblem = 'not-yet-valid' | 'expired';

/** True when notBefore ≤ at ≤ notAfter (RFC 5280 §4.1.2.5: both bounds inclusive). */
export function validAt(cert: Pick<Certificate, 'notBefore' | 'notAfter'>, at: Date): boolean {
  const t = at.getTime();
  return cert.notBefore.getTime() <= t && t <= cert.notAfter.getTime();
}

export type ChainValidity = { ok: true } | { ok: false; cert: Certificate; index: number; reason: ValidityProblem };

/**
 * Checks every certificate of a chain at `at` (spec §10.1 / §10.2 "valid now"); reports the first offender,
 * leaf first, with the reason.
 */
export function chainValidAt(chain: readonly Certificate[], at: Date): ChainValidity {
  const t = at.getTime();
  for (const [index, cert] of chain.entries()) {
    if (t < cert.notBefore.getTime()) return { ok: false, cert, index, reason: 'not-yet-valid' };
    if (t > cert.notAfter.getTime()) return { ok: false, cert, index, reason: 'expired' };
  }
  return { ok: true };
}
