import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';

// --- Bicep syntax helpers (web-tree-sitter + tree-sitter-bicep wasm: no compiler, no network) ---
export const INFRA_DIR = new URL('../../../infra/', import.meta.url).pathname;

/** Every .bicep file under infra/ (top level and modules/), as paths relative to infra/. */
export function bicepFiles(): string[] {
  const top = readdirSync(INFRA_DIR).filter((f) => f.endsWith('.bicep'));
  const modules = readdirSync(join(INFRA_DIR, 'modules')).filter((f) => f.endsWith('.bicep')).map((f) => `modules/${f}`);
  return [...top, ...modules].sort();
}

export function readInfra(relative: string): string {
  return readFileSync(join(INFRA_DIR, relative), 'utf8');
}

let cachedParser: Parser | undefined;

/** A tree-sitter parser for Bicep (the grammar's wasm build, no native addon, no network). */
export async function bicepParser(): Promise<Parser> {
  if (cachedParser !== undefined) return cachedParser;
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
  const created = new Parser();
  created.setLanguage(await Language.load(wasm));
  cachedParser = created;
  return created;
}

/** ERROR and MISSING nodes of a parse, as "line:column text" strings. */
export function syntaxProblems(tree: Tree): string[] {
  const problems: string[] = [];
  const walk = (node: Node): void => {
    if (node.isError || node.isMissing) problems.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.type} ${node.text.slice(0, 60)}`);
    for (const child of node.children) if (child !== null) walk(child);
  };
  walk(tree.rootNode);
  return problems;
}

/** Nodes of one type anywhere in the tree. */
export function nodesOfType(tree: Tree, type: string): Node[] {
  return tree.rootNode.descendantsOfType(type).filter((n): n is Node => n !== null);
}

export interface ParamFacts {
  name: string;
  hasDefault: boolean;
  decorators: string[];
}

/** Top-level `param` declarations: name, whether they have a default, their decorators' text. */
export function paramsOf(tree: Tree): ParamFacts[] {
  const children = tree.rootNode.children.filter((n): n is Node => n !== null);
  return children.flatMap((node, index) => {
    if (node.type !== 'parameter_declaration') return [];
    const named = node.namedChildren.filter((n): n is Node => n !== null);
    const previous = children[index - 1];
    const decorators = previous?.type === 'decorators' ? previous.namedChildren.map((d) => d?.text ?? '') : [];
    return [{ name: named[0]?.text ?? '', hasDefault: named.length > 2, decorators }];
  });
}

/** `module` declarations: symbolic name and the path they load. */
export function modulesOf(tree: Tree): Array<{ name: string; path: string; conditional: string | undefined }> {
  return nodesOfType(tree, 'module_declaration').map((node) => {
    const named = node.namedChildren.filter((n): n is Node => n !== null);
    const condition = named.find((n) => n.type === 'if_statement')?.namedChildren[0]?.text;
    return { name: named[0]?.text ?? '', path: (named[1]?.text ?? '').replace(/^'|'$/g, ''), conditional: condition };
  });
}

/** Source without `//` comments, so assertions see only what Azure would deploy. */
export const code = (relative: string): string => readInfra(relative).replace(/^\s*\/\/.*$/gm, '').replace(/\s\/\/[^'\n]*$/gm, '');
export const allCode = (): string => bicepFiles().map(code).join('\n');
