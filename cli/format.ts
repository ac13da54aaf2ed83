import type { Verdict } from '../shared/verification/index.js';

/** One readable summary for people: the pinned reference, the decision, the signer and the reasons. */
export function formatVerdictText(verdict: Verdict): string {
  const { subject } = verdict;
  const pinned = subject.digest ? `${stripTagAndDigest(subject.reference)}@${subject.digest}` : subject.reference;
  const headline = { allow: 'VERIFIED', deny: 'NOT VERIFIED', inconclusive: 'INCONCLUSIVE' }[verdict.decision];
  const lines = [`${headline}: ${pinned}`];
  if (verdict.policy) lines.push(`  trust policy: ${verdict.policy.name} (level ${verdict.policy.level})`);
  const passing = verdict.signatures.find((s) => s.ok);
  if (passing?.signer) {
    lines.push(`  signed by: ${passing.signer.subject}`);
    if (passing.signingTime) lines.push(`  signed at: ${passing.signingTime}${passing.timestampTime ? ` (timestamped ${passing.timestampTime})` : ''}`);
  }
  const logged = passing?.checks.filter((c) => !c.ok && c.action === 'log') ?? [];
  for (const check of logged) lines.push(`  warning: ${check.check} check failed (logged): ${check.error?.message ?? ''}`);
  // A rejected signature's signer is what a person needs to tell "signed by someone else" from "tampered".
  for (const failed of verdict.signatures.filter((s) => !s.ok && s.signer)) {
    lines.push(`  rejected signature ${failed.signatureDigest ?? ''} by: ${failed.signer?.subject} (issuer ${failed.signer?.issuer})`.replace('signature  by', 'signature by'));
  }
  for (const reason of verdict.reasons) lines.push(`  ${reason.code}: ${reason.message}`);
  return lines.join('\n');
}

function stripTagAndDigest(reference: string): string {
  const withoutDigest = reference.split('@')[0] as string;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}
