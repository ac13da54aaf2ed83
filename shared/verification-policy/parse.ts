import { createHash } from 'node:crypto';
import { VerificationPolicyError, type VerificationPolicyProblem } from './errors.js';
import { readRequirement } from './items.js';
import type { ScopedRequirement, VerificationPolicyDocument } from './types.js';

type Problems = VerificationPolicyProblem[];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `*`, `registry[:port]/repository`, or `registry[:port]/prefix/*`; lowercase, as Notation scopes. */
const SCOPE = /^[a-z0-9.-]+(?::[0-9]+)?\/(?:[a-z0-9._-]+\/)*(?:[a-z0-9._-]+|\*)$/;

/**
 * Every problem of a verification policy document (JSON text or parsed JSON), each with its path; empty when valid.
 * `knownSchemes` are the composition root's scheme names: any other name is an error.
 */
export function validateVerificationPolicy(input: unknown, knownSchemes: readonly string[]): VerificationPolicyProblem[] {
  return read(input, knownSchemes).problems;
}

/** The validated document; throws ERR_VERIFICATION_POLICY_INVALID (kind config) listing every problem. */
export function parseVerificationPolicy(input: unknown, knownSchemes: readonly string[]): VerificationPolicyDocument {
  const { document, problems } = read(input, knownSchemes);
  if (problems.length > 0 || document === undefined) throw new VerificationPolicyError('ERR_VERIFICATION_POLICY_INVALID', problems);
  return document;
}

/** SHA-256 of the document's canonical JSON (keys sorted): part of the trust fingerprint of every verdict. */
export function fingerprintVerificationPolicy(document: VerificationPolicyDocument): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

function read(input: unknown, knownSchemes: readonly string[]): { document?: VerificationPolicyDocument; problems: Problems } {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (error) {
      return { problems: [{ code: 'JSON_INVALID', message: `the document is not valid JSON: ${(error as Error).message}`, path: '' }] };
    }
  }
  if (!isRecord(value)) return { problems: [{ code: 'TYPE_INVALID', message: 'the document must be a JSON object', path: '' }] };
  const problems: Problems = [];
  for (const key of Object.keys(value)) {
    if (!['version', 'schemes', 'policies'].includes(key)) problems.push({ code: 'FIELD_UNKNOWN', message: `unknown field "${key}"`, path: key });
  }
  if (value['version'] !== '1') problems.push({ code: 'VERSION_UNSUPPORTED', message: `version must be "1", got ${JSON.stringify(value['version'])}`, path: 'version' });
  const schemes = readSchemes(value['schemes'], knownSchemes, problems);
  const policies = readPolicies(value['policies'], knownSchemes, problems);
  if (problems.length > 0) return { problems };
  return { document: { version: '1', schemes, policies }, problems };
}

function readSchemes(value: unknown, knownSchemes: readonly string[], problems: Problems): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    problems.push({ code: 'TYPE_INVALID', message: 'schemes must be an object of scheme name → that scheme\'s settings', path: 'schemes' });
    return {};
  }
  for (const [name, section] of Object.entries(value)) {
    if (!knownSchemes.includes(name)) problems.push({ code: 'SCHEME_UNKNOWN', message: `unknown scheme "${name}" (known: ${knownSchemes.join(', ')})`, path: `schemes.${name}` });
    else if (!isRecord(section)) problems.push({ code: 'TYPE_INVALID', message: 'a scheme\'s settings must be an object', path: `schemes.${name}` });
  }
  return value;
}

function readPolicies(value: unknown, knownSchemes: readonly string[], problems: Problems): ScopedRequirement[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ code: 'POLICIES_EMPTY', message: 'policies must be a non-empty array', path: 'policies' });
    return [];
  }
  const policies: ScopedRequirement[] = [];
  const names = new Set<string>();
  const scopes = new Map<string, string>();
  value.forEach((raw, i) => {
    const path = `policies[${i}]`;
    if (!isRecord(raw)) return void problems.push({ code: 'TYPE_INVALID', message: 'a policy must be an object', path });
    for (const key of Object.keys(raw)) {
      if (!['name', 'registryScopes', 'require'].includes(key)) problems.push({ code: 'FIELD_UNKNOWN', message: `unknown field "${key}"`, path: `${path}.${key}` });
    }
    const name = raw['name'];
    if (typeof name !== 'string' || name.trim() === '') problems.push({ code: 'NAME_MISSING', message: 'name must be a non-empty string', path: `${path}.name` });
    else if (names.has(name)) problems.push({ code: 'NAME_DUPLICATE', message: `another policy is already named "${name}"`, path: `${path}.name` });
    else names.add(name);
    const registryScopes = readScopes(raw['registryScopes'], `${path}.registryScopes`, problems);
    for (const scope of registryScopes) {
      const other = scopes.get(scope);
      if (other !== undefined) problems.push({ code: 'SCOPE_DUPLICATE', message: `scope "${scope}" is already in ${other}`, path: `${path}.registryScopes` });
      else scopes.set(scope, path);
    }
    const require = readRequirement(raw['require'], `${path}.require`, knownSchemes, problems);
    if (typeof name === 'string' && require) policies.push({ name, registryScopes, require });
  });
  return policies;
}

function readScopes(value: unknown, path: string, problems: Problems): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ code: 'SCOPES_EMPTY', message: 'registryScopes must be a non-empty array', path });
    return [];
  }
  const scopes: string[] = [];
  value.forEach((scope, i) => {
    if (typeof scope !== 'string') return void problems.push({ code: 'SCOPE_INVALID', message: 'a scope must be a string', path: `${path}[${i}]` });
    if (scope === '*') {
      if (value.length > 1) problems.push({ code: 'SCOPE_WILDCARD_MIXED', message: '"*" must be the only scope of its policy', path: `${path}[${i}]` });
    } else if (scope !== scope.toLowerCase()) {
      problems.push({ code: 'SCOPE_NOT_LOWERCASE', message: `scope "${scope}" must be lowercase`, path: `${path}[${i}]` });
    } else if (!SCOPE.test(scope)) {
      problems.push({ code: 'SCOPE_INVALID', message: `scope "${scope}" must be "*", "registry/repository" or "registry/prefix/*"`, path: `${path}[${i}]` });
    }
    scopes.push(scope);
  });
  return scopes;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
