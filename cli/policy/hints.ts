import type { PolicyProblem } from '../../shared/policy/index.js';

/** `line 4, column 21` of a character offset (both 1-based), as editors show it. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - lastBreak };
}

/**
 * JSON.parse says "at position 54"; people need a line and column. Returns undefined when the text is valid JSON.
 * Node words the error differently by version, so only the offset is read from it (end of input when it names none).
 */
export function jsonSyntaxError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const { line, column } = lineAndColumn(text, position ? Number(position[1]) : text.length);
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    return `line ${line}, column ${column}: ${reason}`;
  }
}

/** What the pure validator cannot know people trip over: upper case in a scope's repository part. */
export function hintFor(problem: PolicyProblem, document: unknown): string | undefined {
  if (problem.code !== 'SCOPE_INVALID') return undefined;
  const match = /^trustPolicies\[(\d+)\]\.registryScopes\[(\d+)\]$/.exec(problem.path);
  if (!match) return undefined;
  const scope = (document as { trustPolicies?: Array<{ registryScopes?: unknown[] }> }).trustPolicies?.[Number(match[1])]?.registryScopes?.[Number(match[2])];
  if (typeof scope !== 'string') return undefined;
  const slash = scope.indexOf('/');
  const repository = slash === -1 ? '' : scope.slice(slash + 1);
  if (!/[A-Z]/.test(repository)) return undefined;
  return `repository names must be lowercase: did you mean "${scope.slice(0, slash + 1)}${repository.toLowerCase()}"?`;
}
