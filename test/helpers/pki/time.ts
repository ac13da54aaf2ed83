/**
 * The fixed-clock convention of the test PKI: every certificate, token, CRL and OCSP response is made
 * relative to PKI_NOW, so suites never depend on the wall clock.
 */
export const PKI_NOW = new Date('2026-06-01T00:00:00Z');

const DAY_MS = 86_400_000;

/** `at` moved by a (possibly negative or fractional) number of days. */
export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** `at` moved by a number of milliseconds. */
export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

/** PKI_NOW moved by a number of days (shorthand for the common case). */
export function daysFromNow(days: number): Date {
  return addDays(PKI_NOW, days);
}
