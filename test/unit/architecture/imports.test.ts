import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
}

/** Source without comments (a comment may say "no process.env"). */
function code(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** The module of a resolved relative import: `shared/<module>` or a top-level folder. */
function moduleOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(ROOT, join(ROOT, file, '..', specifier));
  const [top, second] = target.split('/');
  return top === 'shared' ? `shared/${second}` : top;
}

/** Dependency direction from the architecture: pure layers never reach I/O layers or the environment. */
const PURE = ['shared/pki', 'shared/notary', 'shared/policy'];
const FORBIDDEN_FOR_PURE = ['shared/oci', 'shared/cache', 'shared/config', 'shared/verification', 'shared/events', 'shared/admission', 'host', 'functions'];

describe('module boundaries', () => {
  const files = sources('shared');

  it.each(PURE)('%s imports no registry, cache, Azure SDK or configuration, and reads no process.env', (module) => {
    for (const file of files.filter((f) => f.startsWith(`${module}/`))) {
      for (const specifier of importsOf(file)) {
        expect(specifier.startsWith('@azure/'), `${file} imports ${specifier}`).toBe(false);
        expect(FORBIDDEN_FOR_PURE, `${file} imports ${specifier}`).not.toContain(moduleOf(file, specifier));
      }
      expect(code(file), `${file} reads process.env`).not.toMatch(/process\.env/);
    }
  });

  it('only shared/config reads process.env', () => {
    const readers = files.filter((f) => /process\.env/.test(code(f)));
    expect(readers.filter((f) => !f.startsWith('shared/config/'))).toEqual([]);
  });

  it('nothing in shared/ imports the functions layer or the local host', () => {
    for (const file of files) {
      for (const specifier of importsOf(file)) expect(['functions', 'host'], `${file} imports ${specifier}`).not.toContain(moduleOf(file, specifier));
    }
  });

  it('the local host (host/) stands above functions/: functions never import it, and its files form no cycle', () => {
    for (const file of sources('functions')) {
      for (const specifier of importsOf(file)) expect(moduleOf(file, specifier), `${file} imports ${specifier}`).not.toBe('host');
    }
    const hostFiles = sources('host');
    const edges = new Map(hostFiles.map((file) => [file, importsOf(file).filter((s) => s.startsWith('./')).map((s) => join('host', s).replace(/\.js$/, '.ts'))]));
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (file: string, path: string[]): void => {
      if (done.has(file)) return;
      expect(visiting.has(file), `import cycle: ${[...path, file].join(' → ')}`).toBe(false);
      visiting.add(file);
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      visiting.delete(file);
      done.add(file);
    };
    for (const file of hostFiles) visit(file, []);
  });
});

/** Packages reached from `file` through static value imports (type-only and dynamic imports do not load at import time). */
function staticPackages(file: string, seen = new Set<string>(), found = new Set<string>()): Set<string> {
  if (seen.has(file)) return found;
  seen.add(file);
  for (const match of code(file).matchAll(/^\s*(?:import|export)\s+(?!type\b)([^'"]*?)from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
    const clause = match[1] ?? '';
    const specifier = (match[2] ?? match[3]) as string;
    if (/^\{\s*type\s[^,}]*\}\s*$/.test(clause.trim())) continue;
    if (!specifier.startsWith('.')) {
      found.add(specifier);
      continue;
    }
    const target = relative(ROOT, join(ROOT, dirname(file), specifier)).replace(/\.js$/, '.ts');
    if (existsSync(join(ROOT, target))) staticPackages(target, seen, found);
  }
  return found;
}

describe('import cost of the functions module', () => {
  it('loads only @azure/functions, zod and node built-ins at import; the engine, SDKs and ASN.1 load on first use', () => {
    const packages = [...staticPackages('functions/index.ts')].filter((p) => !p.startsWith('node:'));
    expect(packages.sort()).toEqual(['@azure/functions', 'zod']);
  });
});
