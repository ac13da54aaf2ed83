import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Source without comments (a comment may mention an import). */
function code(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** Files and packages reached from `file` through static value imports (type-only and dynamic imports load nothing at start). */
function staticGraph(file: string, files = new Set<string>(), packages = new Set<string>()): { files: Set<string>; packages: Set<string> } {
  if (files.has(file)) return { files, packages };
  files.add(file);
  for (const match of code(file).matchAll(/^\s*(?:import|export)\s+(?!type\b)([^'"]*?)from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
    const clause = (match[1] ?? '').trim();
    const specifier = (match[2] ?? match[3]) as string;
    if (/^\{\s*type\s[^,}]*\}$/.test(clause)) continue;
    if (!specifier.startsWith('.')) {
      packages.add(specifier);
      continue;
    }
    const target = relative(ROOT, join(ROOT, dirname(file), specifier)).replace(/\.js$/, '.ts');
    expect(existsSync(join(ROOT, target)), `${file} imports ${specifier}`).toBe(true);
    staticGraph(target, files, packages);
  }
  return { files, packages };
}

describe('import cost of the trustgate command', () => {
  it('cli/main.ts statically reaches only node built-ins and a few cli/ files: --help and --version load no engine, SDK or schema', () => {
    const { files, packages } = staticGraph('cli/main.ts');
    expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect([...files].sort()).toEqual(['cli/exit-codes.ts', 'cli/help.ts', 'cli/main.ts', 'cli/run.ts', 'cli/version.ts']);
  });

  it('each command module is imported dynamically, so a command loads only its own code', () => {
    const program = code('cli/program.ts');
    for (const module of ['./verify/command.js', './pin/command.js', './policy/validate.js']) {
      expect(program).toContain(`await import('${module}')`);
      expect(program).not.toMatch(new RegExp(`from '${module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`));
    }
    expect([...staticGraph('cli/program.ts').packages].filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
  });

  it('verify and pin reach no Azure SDK statically, and the composition root loads Table Storage and Event Grid only when used', () => {
    for (const command of ['cli/verify/command.ts', 'cli/pin/command.ts']) {
      const { packages } = staticGraph(command);
      expect([...packages].filter((p) => p.startsWith('@azure/')), command).toEqual([]);
    }
    const services = code('shared/config/services.ts');
    expect(services).not.toMatch(/^\s*import\s+(?!type\b)[^;]*from\s+'\.\.\/(events|cache)\/index\.js'/m);
    expect(services).not.toMatch(/^\s*import\s+(?!type\b)[^;]*from\s+'\.\/cache-source\.js'/m);
  });
});
