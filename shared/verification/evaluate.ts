import type { Logger } from '../core/index.js';
import type { Descriptor, Reference } from '../oci/index.js';
import type { EvidenceScheme, SchemePlan, SchemeResult } from '../scheme/index.js';
import type { Requirement } from '../verification-policy/index.js';
import { REASON } from './codes.js';
import { combine, type Evaluation } from './combine.js';
import { BoundedEvidenceRegistry } from './evidence-registry.js';
import type { RegistryReader } from './ports.js';
import { describeError } from './reasons.js';

/** Everything one verification of one reference needs to evaluate a subject (the reference's digest or a platform). */
export interface EvaluationContext {
  reader: RegistryReader;
  schemes: ReadonlyMap<string, EvidenceScheme>;
  plans: ReadonlyMap<string, SchemePlan>;
  requirement: Requirement;
  reference: Reference;
  maxEvidence: number;
  logger: Logger;
  at: Date;
  signal: AbortSignal;
}

/** Runs every scheme the requirement needs on the subject (in parallel) and combines their answers. */
export async function evaluate(context: EvaluationContext, subject: Descriptor): Promise<Evaluation> {
  const roots = new Map<string, Set<string> | 'any'>();
  for (const item of context.requirement.items) {
    if (context.plans.get(item.scheme)?.kind !== 'verify') continue;
    const wanted = roots.get(item.scheme);
    if (item.trustRoot === undefined || wanted === 'any') roots.set(item.scheme, 'any');
    else roots.set(item.scheme, new Set([...(wanted ?? []), item.trustRoot]));
  }
  const answers = new Map<string, { plan: SchemePlan; result?: SchemeResult }>();
  for (const [name, plan] of context.plans) answers.set(name, { plan });
  await Promise.all(
    [...roots].map(async ([name, wanted]) => {
      const scheme = context.schemes.get(name) as EvidenceScheme;
      const result = await runScheme(context, scheme, subject, wanted === 'any' ? [] : [...wanted]);
      answers.set(name, { plan: context.plans.get(name) as SchemePlan, result });
    }),
  );
  return combine(context.requirement, answers);
}

/** One scheme on one subject, through a bounded registry; a throw or the deadline becomes an unreachable reason. */
async function runScheme(context: EvaluationContext, scheme: EvidenceScheme, subject: Descriptor, trustRoots: string[]): Promise<SchemeResult> {
  const { reference, signal } = context;
  const registry = new BoundedEvidenceRegistry({ reader: context.reader, scheme: scheme.name, repository: reference, subject, maxEvidence: context.maxEvidence, signal });
  try {
    const result = await untilAborted(
      scheme.verify({ repository: reference, ...(reference.tag ? { tag: reference.tag } : {}), subject, trustRoots, at: context.at, signal, registry }),
      signal,
    );
    const recorded = registry.recordedUntil(result.outcomes.find((o) => o.ok)?.evidence);
    return { outcomes: [...recorded.failed, ...result.outcomes], unreachable: [...result.unreachable, ...recorded.unreachable] };
  } catch (error) {
    context.logger.log('warn', 'scheme.failed', { scheme: scheme.name, subject: subject.digest, error: describeError(error) });
    const reason = signal.aborted
      ? { code: REASON.deadline, message: `${scheme.name}: the verification deadline was reached` }
      : { code: REASON.registryUnavailable, message: `${scheme.name}: ${describeError(error)}` };
    return { outcomes: registry.failed, unreachable: [...registry.unreachable, reason] };
  }
}

/** A scheme that ignores the signal cannot hold the verdict past the caller's deadline. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
