import type { Verdict } from '../shared/verdict/index.js';

/** One readable summary for people: the pinned reference, the decision, the signer and the reasons. */
export function formatVerdictText(verdict: Verdict): string {
  const { subject } = verdict;
  const pinned = subject.digest ? `${stripTagAndDigest(subject.reference)}@${subject.digest}` : subject.reference;
  const headline = { allow: 'VERIFIED', deny: 'NOT VERIFIED', inconclusive: 'INCONCLUSIVE' }[verdict.decision];
  const lines = [`${headline}: ${pinned}`];
  if (verdict.policy) lines.push(`  trust policy: ${verdict.policy.name}${verdict.policy.level ? ` (level ${verdict.policy.level})` : ''}`);
  for (const passing of verdict.evidence.filter((e) => e.ok)) {
    const root = passing.trustRoot ? `, trust root ${passing.trustRoot}` : '';
    if (passing.signer) lines.push(`  signed by: ${passing.signer.subject} (${passing.scheme}${root})`);
    const timestamped = passing.details?.['timestampTime'];
    if (passing.signedAt) lines.push(`  signed at: ${passing.signedAt}${timestamped ? ` (timestamped ${timestamped})` : ''}`);
    for (const check of passing.checks.filter((c) => !c.ok && c.action === 'log')) {
      lines.push(`  warning: ${check.name} check failed (logged): ${check.error?.message ?? ''}`);
    }
  }
  // A rejected piece of evidence's signer is what a person needs to tell "signed by someone else" from "tampered".
  for (const failed of verdict.evidence.filter((e) => !e.ok && e.signer)) {
    const where = failed.evidence ? ` ${failed.evidence}` : '';
    const issuer = failed.signer?.issuer ? ` (issuer ${failed.signer.issuer})` : '';
    lines.push(`  rejected ${failed.scheme} evidence${where} by: ${failed.signer?.subject}${issuer}`);
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
