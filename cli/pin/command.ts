import { writeFile } from 'node:fs/promises';
import { checkImage, verifyImages } from '../../shared/admission/index.js';
import { CliError, configProblemIn, reportUsageError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { cliServices, type ServiceFlags } from '../services.js';
import { findImages, type ManifestSite } from './documents.js';
import { buildReport, exitCodeOf, formatReport, type PinReport } from './report.js';
import { applyEdits } from './rewrite.js';
import { readSources, type Source } from './sources.js';

export interface PinFlags extends ServiceFlags {
  check?: boolean;
  write?: boolean;
}

/**
 * `trustgate pin [files...]`: verifies every image the admission webhook would check, each distinct image once, through
 * the same VerificationService and admission rules (`verifyImages`), and — only when every image is allowed — writes the
 * manifests back with each image pinned to its verified digest (`repo:tag@sha256:…`). Nothing is written or printed
 * as a manifest when any image fails, so a pipeline cannot deploy a half-pinned set by ignoring the exit code.
 */
export async function pinCommand(files: string[], flags: PinFlags, io: CliIo): Promise<number> {
  try {
    if (flags.check && flags.write) throw new CliError('--check never writes: use it without --write', 'ERR_CLI_USAGE');
    const sources = await readSources(files, io);
    if (flags.write && sources.some((s) => s.path === undefined)) throw new CliError('--write needs files: standard input cannot be written back', 'ERR_CLI_USAGE');
    const found = sources.map((source) => ({ source, ...findImages(source) }));
    const sites = found.flatMap((f) => f.sites);
    const checked = [...new Set(sites.map((s) => s.image))].map((image) => checkImage(image));
    const registries = [...new Set(checked.flatMap((image) => (image.ok ? [image.name.split('/')[0] as string] : [])))];
    const service = checked.some((image) => image.ok) ? (await cliServices(flags, io, registries)).verification : neverAsked;
    const verdicts = await verifyImages(checked, service, { deadline: { signal: new AbortController().signal } }); // a pipeline sets its own timeout
    const report = buildReport(sites, found.flatMap((f) => f.problems), verdicts);
    const problem = configProblemIn(report.entries.filter((e) => e.decision === 'inconclusive').flatMap((e) => e.reasons));
    if (problem !== undefined) throw new CliError(problem);

    let written: string[] = [];
    let manifests: string | undefined;
    if (report.decision === 'allow' && !flags.check) {
      const pinned = found.map(({ source, sites: own }) => ({ source, text: pinText(source, own, report) }));
      if (flags.write) written = await writeChanged(pinned);
      else manifests = joinDocuments(pinned.map((p) => p.text));
    }
    if (flags.output === 'json') {
      io.stdout(JSON.stringify({ ...report, ...(flags.write ? { written } : {}), ...(manifests === undefined ? {} : { manifests }) }, null, 2) + '\n');
    } else {
      if (manifests !== undefined) io.stdout(manifests);
      io.stderr(sites.length === 0 && report.entries.length === 0 ? 'trustgate pin: no images found\n' : formatReport(report));
      for (const path of written) io.stderr(`trustgate pin: wrote ${path}\n`);
    }
    return exitCodeOf(report);
  } catch (error) {
    return reportUsageError(error, io);
  }
}

/** Used when every image failed its reference check: nothing to verify, so no configuration is needed. */
const neverAsked = {
  verify: () => Promise.reject(new Error('no image to verify')),
};

/** The source with each allowed image replaced by its pinned form, checked by parsing the result again. */
function pinText(source: Source, sites: readonly ManifestSite[], report: PinReport): string {
  const pinnedOf = new Map(report.entries.flatMap((e) => (e.pinned ? [[e.image, e.pinned] as const] : [])));
  const edits = sites.flatMap((site) => {
    const value = pinnedOf.get(site.image);
    return site.node && value !== undefined && value !== site.image ? [{ node: site.node, value }] : [];
  });
  const text = applyEdits(source.text, edits);
  const again = findImages({ ...source, text }).sites.map((s) => s.image);
  const expected = sites.map((s) => pinnedOf.get(s.image) ?? s.image);
  if (again.join('\n') !== expected.join('\n')) throw new Error(`${source.name}: the pinned manifests do not read back as pinned`);
  return text;
}

async function writeChanged(pinned: ReadonlyArray<{ source: Source; text: string }>): Promise<string[]> {
  const written: string[] = [];
  for (const { source, text } of pinned) {
    if (source.path === undefined || text === source.text) continue;
    await writeFile(source.path, text, 'utf8');
    written.push(source.path);
  }
  return written;
}

/** Several inputs become one YAML stream, as `kubectl apply -f -` reads it. */
function joinDocuments(texts: readonly string[]): string {
  return texts
    .map((text, i) => {
      const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
      return i === 0 || body.startsWith('---') ? body : `---\n${body}`;
    })
    .join('');
}

