import type { HttpHandler } from '@azure/functions';
import type { ResultCache } from '../shared/cache/index.js';
import type { Clock } from '../shared/core/index.js';
import { getServices } from '../shared/config/index.js';
import { HttpInputError, problemResponse } from '../shared/http/index.js';
import { parseReference } from '../shared/oci/index.js';
import { lazy, type FunctionDefinition } from './definition.js';
import { gateHttp } from './availability.js';
import { guardHttp } from './guard.js';

export interface VerdictsDeps {
  cache: ResultCache;
  clock: Clock;
  verification: { fingerprint(): Promise<string> };
}

/** GET /api/v1/verdicts?subject=<registry/repo@sha256:...> — the stored verdict under today's trust configuration. */
export function makeVerdictsHandler(deps: VerdictsDeps): HttpHandler {
  return guardHttp(async (request) => {
    const subject = request.query.get('subject');
    if (!subject) throw new HttpInputError('ERR_INVALID_REQUEST', 'invalid-input', 'query parameter "subject" is required');
    let ref;
    try {
      ref = parseReference(subject);
    } catch (error) {
      throw new HttpInputError('ERR_INVALID_REFERENCE', 'invalid-input', (error as Error).message);
    }
    if (!ref.digest) throw new HttpInputError('ERR_INVALID_SUBJECT', 'invalid-input', 'subject must name a digest: registry/repository@sha256:...');
    const key = { registry: ref.registry, repository: ref.repository, digest: ref.digest, fingerprint: await deps.verification.fingerprint() };
    const stored = await deps.cache.get(key, deps.clock.now());
    if (!stored) return problemResponse(404, 'ERR_VERDICT_NOT_FOUND', `no current verdict is stored for ${ref.toString()}`);
    return { status: 200, jsonBody: { verdict: stored.verdict, source: stored.source, storedAt: stored.storedAt } };
  });
}

export const verdictsFunction: FunctionDefinition = {
  kind: 'http',
  name: 'verdicts',
  methods: ['GET'],
  authLevel: 'function',
  route: 'v1/verdicts',
  handler: guardHttp(gateHttp('verdicts', lazy(async () => makeVerdictsHandler(await getServices())))),
};
