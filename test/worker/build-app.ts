import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * Builds the app the way `npm run build` lays it out (tsconfig.build.json's options, outDir dist/ under an app root with
 * package.json and host.json), into `dist/worker-test-app/` (git- and eslint-ignored) so the app resolves this worktree's node_modules.
 * Per-file transpilation (the build config has isolatedModules, so output is the same as tsc's) keeps it to a second or
 * two; type errors are `tsc --noEmit`'s job.
 */
export function buildApp(appRoot = join(ROOT, 'dist', 'worker-test-app')): string {
  const configPath = join(ROOT, 'tsconfig.build.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, ROOT);
  if (!parsed.options.isolatedModules) throw new Error('per-file transpilation needs isolatedModules');
  rmSync(appRoot, { recursive: true, force: true });
  const outDir = join(appRoot, 'dist');
  for (const file of parsed.fileNames) {
    const target = join(outDir, relative(ROOT, file));
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.json')) {
      cpSync(file, target);
      continue;
    }
    // package.json says "type": "module", so NodeNext emits ESM; a lone file cannot tell transpileModule that.
    const compilerOptions = { ...parsed.options, module: ts.ModuleKind.ESNext, sourceMap: false };
    const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
    writeFileSync(target.replace(/\.ts$/, '.js'), output.outputText);
  }
  for (const file of ['package.json', 'host.json']) cpSync(join(ROOT, file), join(appRoot, file));
  return appRoot;
}

/** The worker's entry point lookup: package.json `main`, a path or a glob (`*`, `**`), relative to the app root. */
export function entryPoints(appRoot: string): string[] {
  const main = (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { main?: string }).main ?? 'index.js';
  const pattern = new RegExp(`^${main.replace(/[.+^$()|{}[\]]/g, '\\$&').replace(/\*\*\//g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '(?:.*/)?')}$`);
  const files = readdirSync(appRoot, { recursive: true, encoding: 'utf8' }).filter((file) => !file.startsWith('node_modules'));
  return files.filter((file) => pattern.test(file)).sort().map((file) => join(appRoot, file));
}
