import type { Node, Tree } from 'web-tree-sitter';

/**
 * A tiny evaluator for the Bicep expressions infra uses to compute names (strings, interpolation, variables, objects,
 * ternaries and the string functions below), so tests check the names Azure would get rather than the source text.
 * Anything else throws: a test must not pass on an expression this evaluator does not understand.
 */
export type Value = string | number | boolean | Value[] | { [key: string]: Value };

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  toLower: (text) => String(text).toLowerCase(),
  replace: (text, from, to) => String(text).split(String(from)).join(String(to)),
  take: (text, count) => String(text).slice(0, Number(count)),
  empty: (value) => (typeof value === 'string' || Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0),
};

const children = (node: Node): Node[] => node.namedChildren.filter((n): n is Node => n !== null);

export function evaluate(node: Node, scope: Record<string, Value>): Value {
  switch (node.type) {
    case 'string': {
      // From the source text: tree-sitter drops whitespace-only content (' ') from the parts.
      let text = '';
      let at = node.startIndex + 1;
      for (const part of children(node).filter((p) => p.type === 'interpolation')) {
        text += node.text.slice(at - node.startIndex, part.startIndex - node.startIndex) + String(evaluate(children(part)[0] as Node, scope));
        at = part.endIndex;
      }
      text += node.text.slice(at - node.startIndex, node.text.length - 1);
      return text.replace(/\\(.)/g, '$1');
    }
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.text === 'true';
    case 'identifier': {
      if (!(node.text in scope)) throw new Error(`unknown identifier ${node.text}`);
      return scope[node.text] as Value;
    }
    case 'parenthesized_expression':
      return evaluate(children(node)[0] as Node, scope);
    case 'ternary_expression': {
      const [condition, whenTrue, whenFalse] = children(node) as [Node, Node, Node];
      return evaluate(condition, scope) === true ? evaluate(whenTrue, scope) : evaluate(whenFalse, scope);
    }
    case 'unary_expression':
      if (node.text.startsWith('!')) return !evaluate(children(node)[0] as Node, scope);
      break;
    case 'object':
      return Object.fromEntries(children(node).filter((p) => p.type === 'object_property').map((property) => {
        const [key, value] = children(property) as [Node, Node];
        return [key.text.replace(/^'|'$/g, ''), evaluate(value, scope)];
      }));
    case 'call_expression': {
      const name = node.childForFieldName('function')?.text ?? '';
      const fn = FUNCTIONS[name];
      if (fn === undefined) throw new Error(`unsupported function ${name}`);
      const args = children(node.childForFieldName('arguments') as Node).map((arg) => evaluate(arg, scope));
      return fn(...args);
    }
  }
  throw new Error(`unsupported expression ${node.type}: ${node.text.slice(0, 60)}`);
}

/** Evaluates the named top-level `var`s of a file in order, with `given` for parameters and for vars to stub. */
export function evaluateVars(tree: Tree, names: string[], given: Record<string, Value>): Record<string, Value> {
  const scope: Record<string, Value> = { ...given };
  for (const declaration of tree.rootNode.children) {
    if (declaration?.type !== 'variable_declaration') continue;
    const [name, expression] = children(declaration) as [Node, Node];
    if (name.text in given || !names.includes(name.text)) continue;
    scope[name.text] = evaluate(expression, scope);
  }
  return scope;
}
