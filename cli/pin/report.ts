import { REASON, pinnedImage, type ImageVerdict } from '../../shared/admission/index.js';
import type { Decision, Reason } from '../../shared/verification/index.js';
import { EXIT } from '../exit-codes.js';
import type { ManifestProblem, ManifestSite } from './documents.js';

/** Where an image (or a problem) is: `file:line Kind/name (container c)`. */
export interface Location {
  source: string;
  document: number;
  line: number;
  object: string;
  container?: string;
}

/** One distinct image (or one object that cannot be inspected) and its decision. */
export interface PinEntry {
  image: string;
  decision: Decision;
  digest?: string;
  /** What the manifests say after pinning (set when allowed). */
  pinned?: string;
  reasons: Reason[];
  locations: Location[];
}

export interface PinReport {
  decision: Decision;
  entries: PinEntry[];
}

/** One entry per distinct image, in order of first appearance, plus one per object the webhook would deny outright. */
export function buildReport(sites: readonly ManifestSite[], problems: readonly ManifestProblem[], verdicts: ReadonlyMap<string, ImageVerdict>): PinReport {
  const entries = new Map<string, PinEntry>();
  for (const site of sites) {
    const verdict = verdicts.get(site.image);
    if (!verdict) throw new Error(`no verdict for ${site.image}`); // every site's image was verified
    let entry = entries.get(site.image);
    if (!entry) {
      entry = { image: site.image, decision: verdict.decision, reasons: verdict.reasons, locations: [] };
      if (verdict.decision === 'allow' && verdict.digest) Object.assign(entry, { digest: verdict.digest, pinned: pinnedImage(site.image, verdict.digest, 'tag-digest') });
      entries.set(site.image, entry);
    }
    entry.locations.push({ source: site.source.name, document: site.document, line: site.line, object: site.object, container: site.container });
  }
  const invalid: PinEntry[] = problems.map((p) => ({
    image: '',
    decision: 'deny',
    reasons: [{ code: REASON.invalidObject, message: p.message }],
    locations: [{ source: p.source.name, document: p.document, line: 0, object: p.object }],
  }));
  const all = [...invalid, ...entries.values()];
  return { decision: overall(all.map((e) => e.decision)), entries: all };
}

/** Any deny fails the run; otherwise any inconclusive makes it inconclusive (never allowed). */
function overall(decisions: Decision[]): Decision {
  if (decisions.includes('deny')) return 'deny';
  if (decisions.includes('inconclusive')) return 'inconclusive';
  return 'allow';
}

export function exitCodeOf(report: PinReport): number {
  return { allow: EXIT.verified, deny: EXIT.failed, inconclusive: EXIT.inconclusive }[report.decision];
}

const HEADLINE: Record<Decision, string> = { allow: 'ALLOWED', deny: 'DENIED', inconclusive: 'INCONCLUSIVE' };

/** The report for people (stderr): one block per image with its reasons and every place it is used. */
export function formatReport(report: PinReport): string {
  const counts = (d: Decision) => report.entries.filter((e) => e.decision === d).length;
  const lines = [`trustgate pin: ${report.entries.length} image${report.entries.length === 1 ? '' : 's'}: ${counts('allow')} allowed, ${counts('deny')} denied, ${counts('inconclusive')} inconclusive`];
  for (const entry of report.entries) {
    const subject = entry.image === '' ? '(no image)' : entry.image;
    lines.push(`  ${HEADLINE[entry.decision]}: ${subject}${entry.pinned && entry.pinned !== entry.image ? ` -> ${entry.pinned}` : ''}`);
    if (entry.decision !== 'allow') for (const reason of entry.reasons) lines.push(`    ${reason.code}: ${reason.message}`);
    for (const at of entry.locations) lines.push(`    at ${at.source}${at.line > 0 ? `:${at.line}` : ` (document ${at.document})`} ${at.object}${at.container ? ` (container ${at.container})` : ''}`);
  }
  return lines.join('\n') + '\n';
}
