import type { Scalar } from 'yaml';

/** A new value for one scalar of the source text. */
export interface ScalarEdit {
  node: Scalar;
  value: string;
}

const PLAIN_SAFE = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

/**
 * Writes each new value over its scalar's span in the original text, so everything else — comments, indentation,
 * key order, quoting, other documents — stays byte for byte. The value keeps its scalar's quoting style.
 */
export function applyEdits(text: string, edits: readonly ScalarEdit[]): string {
  const unique = [...new Map(edits.map((edit) => [edit.node, edit])).values()]; // an anchor shared by aliases is edited once
  const ordered = unique.sort((a, b) => spanOf(b.node)[0] - spanOf(a.node)[0]);
  let result = text;
  for (const { node, value } of ordered) {
    const [start, end] = spanOf(node);
    result = result.slice(0, start) + render(value, node.type) + result.slice(end);
  }
  return result;
}

function spanOf(node: Scalar): [number, number] {
  const range = node.range;
  if (!range) throw new Error('scalar without a source range');
  return [range[0], range[1]];
}

function render(value: string, type: Scalar['type']): string {
  switch (type) {
    case 'PLAIN':
      if (PLAIN_SAFE.test(value)) return value;
      return JSON.stringify(value);
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    default:
      return JSON.stringify(value); // double-quoted YAML is a superset of JSON strings
  }
}
