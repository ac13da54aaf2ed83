import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Import-graph checks for the architecture test: which module a file belongs to, which modules it imports, whether it
 * imports another module only through that module's index.ts, and where the graph has cycles. Works on any tree (the
 * repository, or a fixture tree that proves each rule can fail).
 */
export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
}

export interface ArchitectureReport {
  /** `from → to` module edges that the table does not allow. */
  forbidden: string[];
  /** Cross-module imports that do not go through the target's index.ts. */
  pastIndex: string[];
  /** Module-level cycles, each as `a → b → a`. */
  moduleCycles: string[];
  /** File-level cycles, each as `x.ts → y.ts → x.ts`. */
  fileCycles: string[];
}

/** Top folders whose sub-folders are modules (`shared/oci`); any other top folder is one module (`functions`, `cli`). */
const MODULE_PARENTS = ['shared'];

export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      return statSync(join(root, path)).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
  return dirs.filter((d) => existsSync(join(root, d))).flatMap(walk);
}

export function moduleOfFile(file: string): string {
  const [top, second] = file.split('/');
  return MODULE_PARENTS.includes(top as string) && second !== undefined && !second.endsWith('.ts') ? `${top}/${second}` : (top as string);
}

/** Relative imports of a file (static, type-only and dynamic), resolved to repository paths of .ts files. */
export function importEdges(root: string, file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(/(?:import|export)\s[^'";]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|^\s*import\s+'([^']+)'/gm)) {
    const specifier = (match[1] ?? match[2] ?? match[3]) as string;
    if (!specifier.startsWith('.')) continue;
    const target = relative(root, join(root, dirname(file), specifier)).replace(/\.js$/, '.ts');
    edges.push({ from: file, to: target, specifier });
  }
  return edges;
}

export function checkArchitecture(root: string, dirs: readonly string[], allowed: Readonly<Record<string, readonly string[]>>): ArchitectureReport {
  const files = sourceFiles(root, dirs);
  const report: ArchitectureReport = { forbidden: [], pastIndex: [], moduleCycles: [], fileCycles: [] };
  const fileGraph = new Map<string, Set<string>>();
  const moduleGraph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = moduleOfFile(file);
    fileGraph.set(file, new Set());
    for (const edge of importEdges(root, file)) {
      fileGraph.get(file)?.add(edge.to);
      const to = moduleOfFile(edge.to);
      if (to === from) continue;
      if (!moduleGraph.has(from)) moduleGraph.set(from, new Set());
      moduleGraph.get(from)?.add(to);
      if (!(allowed[from] ?? []).includes(to)) report.forbidden.push(`${from} → ${to} (${file} imports ${edge.specifier})`);
      const index = to.includes('/') || MODULE_PARENTS.every((p) => !to.startsWith(p)) ? `${to}/index.ts` : undefined;
      if (index !== undefined && edge.to !== index) report.pastIndex.push(`${file} imports ${edge.specifier} (not ${to}/index.ts)`);
    }
  }
  report.moduleCycles = cycles(moduleGraph);
  report.fileCycles = cycles(fileGraph);
  return report;
}

/** One description per strongly connected component with more than one node (Tarjan). */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push([...component.sort(), component[0]].join(' → '));
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}
