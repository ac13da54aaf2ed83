import type { SchemePlan, SchemeResult } from '../scheme/index.js';
import { describeItem, neededCount, type Requirement, type RequirementItem } from '../verification-policy/index.js';
import type { Decision, EvidenceOutcome, Reason } from '../verdict/index.js';
import { REASON } from './codes.js';

export interface Evaluation {
  decision: Decision;
  evidence: EvidenceOutcome[];
  reasons: Reason[];
}

/** What each scheme the requirement names said: its plan and, when it ran, its result. */
export type SchemeAnswers = ReadonlyMap<string, { plan: SchemePlan; result?: SchemeResult }>;

/**
 * Combines the schemes' answers under a requirement (any-of, all-of, N-of-M). An item is satisfied by an ok outcome of
 * its scheme (accepted by its trust root, when named) or by its scheme's level skip. allow when enough items are
 * satisfied; inconclusive when the items whose scheme could not read everything could still make up the difference;
 * deny otherwise (the evidence seen cannot meet the requirement, and nothing unread could change that).
 */
export function combine(requirement: Requirement, answers: SchemeAnswers): Evaluation {
  const needed = neededCount(requirement);
  const evidence = [...answers.values()].flatMap((a) => a.result?.outcomes ?? []);
  const satisfied: Array<{ item: RequirementItem; by?: EvidenceOutcome }> = [];
  const open: RequirementItem[] = [];
  let undecided = 0;
  for (const item of requirement.items) {
    const answer = answers.get(item.scheme);
    if (answer?.plan.kind === 'skip') {
      satisfied.push({ item });
      continue;
    }
    const by = answer?.result?.outcomes.find((o) => o.ok && o.scheme === item.scheme && (item.trustRoot === undefined || o.trustRoot === item.trustRoot));
    if (by) satisfied.push({ item, by });
    else {
      open.push(item);
      if ((answer?.result?.unreachable.length ?? 0) > 0) undecided++;
    }
  }
  if (satisfied.length >= needed) return { decision: 'allow', evidence, reasons: satisfied.map(allowReason) };
  if (satisfied.length + undecided >= needed) {
    const schemes = new Set(open.map((i) => i.scheme));
    const reasons = [...schemes].flatMap((s) => answers.get(s)?.result?.unreachable ?? []);
    return { decision: 'inconclusive', evidence, reasons };
  }
  return { decision: 'deny', evidence, reasons: denyReasons(open, answers, requirement) };
}

function allowReason({ item, by }: { item: RequirementItem; by?: EvidenceOutcome }): Reason {
  if (by === undefined) return { code: REASON.levelSkip, message: `${describeItem(item)}: verification skipped by its policy` };
  const root = by.trustRoot ? ` (trust root ${by.trustRoot})` : '';
  return { code: REASON.verified, message: `${by.scheme} signature ${by.evidence ?? ''} verified${root}`.replace('  ', ' ') };
}

function denyReasons(open: RequirementItem[], answers: SchemeAnswers, requirement: Requirement): Reason[] {
  const reasons: Reason[] = [];
  const reported = new Set<string>();
  for (const item of open) {
    if (reported.has(item.scheme)) continue;
    reported.add(item.scheme);
    const answer = answers.get(item.scheme);
    const outcomes = answer?.result?.outcomes.filter((o) => o.scheme === item.scheme) ?? [];
    if (answer?.plan.kind !== 'verify') {
      reasons.push({ code: REASON.noTrustPolicy, message: `${item.scheme}: no trust configuration applies to this repository` });
    } else if (outcomes.length === 0) {
      reasons.push({ code: REASON.noSignature, message: `no ${item.scheme} signature found` });
    } else {
      for (const o of outcomes) {
        const why = o.ok ? `accepted by ${o.trustRoot ?? 'another trust root'}, not by the one required` : o.error ? `${o.error.message} (${o.error.code})` : 'failed';
        reasons.push({ code: REASON.signatureFailed, message: `${o.scheme} signature ${o.evidence ?? '?'}: ${why}` });
      }
    }
  }
  if (requirement.mode !== 'anyOf' && reasons.length > 0) {
    reasons.push({ code: REASON.signatureFailed, message: `${describeRequirement(requirement)} not met` });
  }
  return reasons;
}

function describeRequirement(requirement: Requirement): string {
  const items = requirement.items.map(describeItem).join(', ');
  return requirement.mode === 'atLeast' ? `at least ${requirement.count} of [${items}]` : `${requirement.mode} [${items}]`;
}
