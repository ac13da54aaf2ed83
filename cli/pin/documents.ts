import { isAlias, isScalar, parseAllDocuments, type Document, type Scalar } from 'yaml';
import { extractImages } from '../../shared/admission/index.js';
import { CliError } from '../cli-error.js';
import type { Source } from './sources.js';

/** One `image:` value in a manifest: what it says, where it is (for the report) and its span in the source text. */
export interface ManifestSite {
  source: Source;
  /** 1-based position of the YAML document in its source. */
  document: number;
  /** `Deployment/web` (or the kind alone when the object has no name). */
  object: string;
  container: string;
  image: string;
  /** 1-based line of the value, 0 when the container has no image. */
  line: number;
  /** The scalar to rewrite, absent when the container has no image. */
  node?: Scalar;
}

/** An object the admission webhook would deny without looking at images (a pod spec of the wrong shape). */
export interface ManifestProblem {
  source: Source;
  document: number;
  object: string;
  message: string;
}

/**
 * Every image the admission webhook would check, found with its own extraction (shared/admission) in each YAML
 * document (and in each item of a `kind: List`). Kinds it does not inspect are left alone. YAML syntax errors are
 * usage errors naming the source and line.
 */
export function findImages(source: Source): { sites: ManifestSite[]; problems: ManifestProblem[] } {
  const sites: ManifestSite[] = [];
  const problems: ManifestProblem[] = [];
  // Merge keys (`<<`) are resolved as Kubernetes' YAML reader does, so no image hides behind one.
  parseAllDocuments(source.text, { merge: true }).forEach((document, index) => {
    const [error] = document.errors;
    if (error) throw new CliError(`${source.name}: document ${index + 1}: ${error.message}`, 'ERR_CLI_USAGE');
    const value: unknown = document.toJS({ maxAliasCount: 1000 });
    for (const { item, prefix } of objectsOf(value)) {
      if (!isRecord(item) || typeof item.kind !== 'string' || typeof item.apiVersion !== 'string') continue;
      const where = { source, document: index + 1, object: objectName(item) };
      const extraction = extractImages({ group: apiGroup(item.apiVersion), kind: item.kind }, item);
      if (extraction.kind === 'invalid') problems.push({ ...where, message: extraction.problem });
      if (extraction.kind !== 'workload') continue;
      for (const site of extraction.sites) {
        const node = site.image === '' ? undefined : scalarAt(document, [...prefix, ...pointerPath(site.pointer)], site.image, source, index + 1);
        sites.push({ ...where, container: site.container, image: site.image, line: node ? lineOf(source.text, node) : 0, ...(node ? { node } : {}) });
      }
    }
  });
  return { sites, problems };
}

/** The document's object, or each item of a `kind: List` (what `kubectl get -o yaml` prints), with its YAML path. */
function objectsOf(value: unknown): Array<{ item: unknown; prefix: Array<string | number> }> {
  if (isRecord(value) && value.kind === 'List' && Array.isArray(value.items)) return value.items.map((item: unknown, i: number) => ({ item, prefix: ['items', i] }));
  return [{ item: value, prefix: [] }];
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

function objectName(item: Record<string, unknown>): string {
  const metadata = item.metadata;
  const name = isRecord(metadata) && typeof metadata.name === 'string' ? metadata.name : undefined;
  return name ? `${String(item.kind)}/${name}` : String(item.kind);
}

/** RFC 6901 pointer → YAML path (array indexes as numbers). */
function pointerPath(pointer: string): Array<string | number> {
  return pointer.split('/').slice(1).map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/** The scalar holding the image (through an alias to its anchor); anything else cannot be rewritten safely. */
function scalarAt(document: Document, path: Array<string | number>, image: string, source: Source, index: number): Scalar {
  let node: unknown = document.getIn(path, true);
  if (isAlias(node)) node = node.resolve(document);
  if (!isScalar(node) || node.value !== image || node.range === undefined || node.range === null) {
    throw new CliError(`${source.name}: document ${index}: cannot locate the image "${image}" at /${path.join('/')} to pin it (merge keys are not supported)`, 'ERR_CLI_USAGE');
  }
  return node;
}

function lineOf(text: string, node: Scalar): number {
  const offset = node.range?.[0] ?? 0;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
