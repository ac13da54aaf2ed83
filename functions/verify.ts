import type { HttpHandler } from '@azure/functions';
import { z } from 'zod';
import { getServices } from '../shared/config/index.js';
import { Deadline, Semaphore } from '../shared/core/index.js';
import { readJsonBody, HttpInputError } from '../shared/http/index.js';
import { isDigest, parseReference } from '../shared/oci/index.js';
import type { VerificationService } from '../shared/verification/index.js';
import { REST_SUBJECTS_IN_FLIGHT, REST_VERIFY_DEADLINE_MS } from './deadlines.js';
import { lazy, type FunctionDefinition } from './definition.js';
import { gateHttp } from './availability.js';
import { guardHttp } from './guard.js';

export const MAX_SUBJECTS = 100;
const MAX_BODY_BYTES = 64 * 1024;

const digestSchema = z.string().max(200).refine(isDigest, 'must be a sha256/sha512 digest');

const verifyRequestSchema = z.strictObject({
  subjects: z.array(z.string().min(1).max(1024)).min(1).max(MAX_SUBJECTS),
  /** For multi-arch subjects: platform manifests (or "all") that a verified signature must cover. */
  requirePlatforms: z.union([z.literal('all'), z.array(digestSchema).min(1).max(64)]).optional(),
});

export interface VerifyHandlerDeps {
  verification: VerificationService;
  /** Optional. Overall deadline of one request. Default: REST_VERIFY_DEADLINE_MS (60 s). */
  deadlineMs?: number;
}

/** POST /api/v1/verify — `{subjects: [ref...], requirePlatforms?}` → `{results: [Verdict...]}` in request order. */
export function makeVerifyHandler(deps: VerifyHandlerDeps): HttpHandler {
  return guardHttp(async (request) => {
    const { subjects, requirePlatforms } = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, schema: verifyRequestSchema });
    subjects.forEach((subject, index) => {
      try {
        parseReference(subject);
      } catch (error) {
        throw new HttpInputError('ERR_INVALID_REFERENCE', 'invalid-input', `subjects[${index}]: ${(error as Error).message}`);
      }
    });
    const deadline = new Deadline(deps.deadlineMs ?? REST_VERIFY_DEADLINE_MS);
    try {
      const slots = new Semaphore(REST_SUBJECTS_IN_FLIGHT);
      // Subjects memory knows are answered at once; only the others wait for a slot (and make the deadline's timer).
      const known = (subject: string) => (requirePlatforms === undefined ? deps.verification.cached?.(subject) : undefined);
      const verify = (subject: string) => deps.verification.verify(subject, { signal: deadline.signal, ...(requirePlatforms === undefined ? {} : { requirePlatforms }) });
      const results = await Promise.all(subjects.map((subject) => known(subject) ?? slots.run(() => verify(subject))));
      return { status: 200, jsonBody: { results } };
    } finally {
      deadline.dispose();
    }
  });
}

export const verifyFunction: FunctionDefinition = {
  kind: 'http',
  name: 'verify',
  methods: ['POST'],
  authLevel: 'function',
  route: 'v1/verify',
  handler: guardHttp(gateHttp('verify', lazy(async () => makeVerifyHandler(await getServices())))),
};
