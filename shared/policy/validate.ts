/**
 * Trust policy documents: every rule of the spec (and the reference's validation) checked at once, so the
 * `policy validate` command and the error of parseTrustPolicy list all problems, not just the first.
 */
import { POLICY_VERSION, WILDCARD } from './constants.js';
import { isRecord } from './levels.js';
import { statementProblems } from './validate-statement.js';
import type { DocumentKind } from './validate-statement.js';
import type { PolicyProblem } from './types.js';

/** Problems of an OCI trust policy document (JSON text or parsed JSON); empty when it is valid. */
export function validateTrustPolicy(input: string | unknown): PolicyProblem[] {
  return documentProblems(input, 'oci');
}

/** Problems of a blob trust policy document (JSON text or parsed JSON); empty when it is valid. */
export function validateBlobTrustPolicy(input: string | unknown): PolicyProblem[] {
  return documentProblems(input, 'blob');
}

function documentProblems(input: unknown, kind: DocumentKind): PolicyProblem[] {
  const parsed = typeof input === 'string' ? parseJson(input) : { ok: true as const, value: input };
  if (!parsed.ok) return [{ code: 'JSON_INVALID', message: `the document is not valid JSON: ${parsed.reason}`, path: '' }];
  const document = parsed.value;
  if (!isRecord(document)) return [{ code: 'TYPE_INVALID', message: 'the document must be a JSON object', path: '' }];

  const problems: PolicyProblem[] = [];
  for (const key of Object.keys(document)) {
    if (key !== 'version' && key !== 'trustPolicies') problems.push({ code: 'FIELD_UNKNOWN', message: `unknown field "${key}"`, path: key });
  }
  if (document.version === undefined || document.version === '') {
    problems.push({ code: 'VERSION_MISSING', message: 'version is required', path: 'version' });
  } else if (document.version !== POLICY_VERSION) {
    problems.push({ code: 'VERSION_UNSUPPORTED', message: `version ${JSON.stringify(document.version)} is not supported (only "1.0")`, path: 'version' });
  }
  const statements = document.trustPolicies;
  if (statements !== undefined && !Array.isArray(statements)) {
    problems.push({ code: 'TYPE_INVALID', message: 'trustPolicies must be an array', path: 'trustPolicies' });
    return problems;
  }
  if (statements === undefined || statements.length === 0) {
    problems.push({ code: 'STATEMENTS_EMPTY', message: 'trustPolicies must contain at least one statement', path: 'trustPolicies' });
    return problems;
  }
  statements.forEach((statement, i) => problems.push(...statementProblems(statement, `trustPolicies[${i}]`, kind)));
  problems.push(...duplicateNameProblems(statements));
  problems.push(...(kind === 'oci' ? duplicateScopeProblems(statements) : duplicateGlobalProblems(statements)));
  return problems;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function duplicateNameProblems(statements: readonly unknown[]): PolicyProblem[] {
  const seen = new Set<string>();
  const problems: PolicyProblem[] = [];
  statements.forEach((statement, i) => {
    const name = isRecord(statement) ? statement.name : undefined;
    if (typeof name !== 'string' || name === '') return;
    if (seen.has(name)) {
      problems.push({ code: 'NAME_DUPLICATE', message: `statement name "${name}" is used more than once; names must be unique`, path: `trustPolicies[${i}].name` });
    }
    seen.add(name);
  });
  return problems;
}

/** A scope may belong to one statement only, once; `*` may be used by one statement only. */
function duplicateScopeProblems(statements: readonly unknown[]): PolicyProblem[] {
  const seen = new Set<string>();
  const problems: PolicyProblem[] = [];
  statements.forEach((statement, i) => {
    const scopes = isRecord(statement) && Array.isArray(statement.registryScopes) ? statement.registryScopes : [];
    scopes.forEach((scope: unknown, j) => {
      if (typeof scope !== 'string') return;
      if (seen.has(scope)) {
        const path = `trustPolicies[${i}].registryScopes[${j}]`;
        problems.push(
          scope === WILDCARD
            ? { code: 'SCOPE_GLOBAL_MULTIPLE', message: 'only one statement may use the global scope "*"', path }
            : { code: 'SCOPE_DUPLICATE', message: `registry scope "${scope}" appears more than once; a scope belongs to one statement`, path },
        );
      }
      seen.add(scope);
    });
  });
  return problems;
}

function duplicateGlobalProblems(statements: readonly unknown[]): PolicyProblem[] {
  const globals = statements.map((s, i) => (isRecord(s) && s.globalPolicy === true ? i : -1)).filter((i) => i >= 0);
  return globals.slice(1).map((i) => ({
    code: 'GLOBAL_POLICY_MULTIPLE' as const,
    message: 'only one blob statement may set globalPolicy',
    path: `trustPolicies[${i}].globalPolicy`,
  }));
}
