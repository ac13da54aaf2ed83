/**
 * Overall deadlines per surface. A verification past its deadline is aborted and ends inconclusive
 * (ERR_VERIFICATION_DEADLINE): 50 slow-drip signature manifests once took 101 s with a 2 s per-request timeout.
 */

/** REST /api/v1/verify: well inside Azure's 230 s HTTP limit (and any reasonable client timeout). */
export const REST_VERIFY_DEADLINE_MS = 60_000;

/** One Event Grid delivery (all its events): an inconclusive answer throws, and Event Grid retries later. */
export const EVENT_DELIVERY_DEADLINE_MS = 120_000;

/** Subjects of one REST request verified at once (the rest wait their turn). */
export const REST_SUBJECTS_IN_FLIGHT = 8;
