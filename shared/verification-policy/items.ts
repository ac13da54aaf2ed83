import type { VerificationPolicyProblem } from './errors.js';
import type { Requirement, RequirementItem } from './types.js';

type Problems = VerificationPolicyProblem[];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NAME = /^[a-z][a-z0-9-]*$/;

/** `{"anyOf": [...]}`, `{"allOf": [...]}` or `{"atLeast": N, "of": [...]}`; undefined (with problems) when invalid. */
export function readRequirement(value: unknown, path: string, knownSchemes: readonly string[], problems: Problems): Requirement | undefined {
  if (!isRecord(value)) {
    problems.push({ code: 'TYPE_INVALID', message: 'require must be an object: {"anyOf": [...]}, {"allOf": [...]} or {"atLeast": N, "of": [...]}', path });
    return undefined;
  }
  const modes = ['anyOf', 'allOf', 'atLeast'].filter((k) => k in value);
  for (const key of Object.keys(value)) {
    if (!['anyOf', 'allOf', 'atLeast', 'of'].includes(key)) problems.push({ code: 'FIELD_UNKNOWN', message: `unknown field "${key}"`, path: `${path}.${key}` });
  }
  if (modes.length !== 1) {
    problems.push({ code: 'REQUIRE_MODE', message: 'require must have exactly one of anyOf, allOf or atLeast', path });
    return undefined;
  }
  const mode = modes[0] as 'anyOf' | 'allOf' | 'atLeast';
  if (mode !== 'atLeast' && 'of' in value) problems.push({ code: 'FIELD_UNKNOWN', message: '"of" goes with atLeast only', path: `${path}.of` });
  const listKey = mode === 'atLeast' ? 'of' : mode;
  const items = readItems(value[listKey], `${path}.${listKey}`, knownSchemes, problems);
  if (mode !== 'atLeast') return items && { mode, items };
  const count = value['atLeast'];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    problems.push({ code: 'COUNT_INVALID', message: 'atLeast must be a positive integer', path: `${path}.atLeast` });
    return undefined;
  }
  if (items && count > items.length) {
    problems.push({ code: 'COUNT_INVALID', message: `atLeast ${count} can never be met by ${items.length} item(s)`, path: `${path}.atLeast` });
    return undefined;
  }
  return items && { mode, count, items };
}

function readItems(value: unknown, path: string, knownSchemes: readonly string[], problems: Problems): RequirementItem[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ code: 'ITEMS_EMPTY', message: 'must be a non-empty array of "scheme", "scheme:trustRoot" or {"scheme", "trustRoot"?}', path });
    return undefined;
  }
  const before = problems.length;
  const items = value.map((raw, i) => readItem(raw, `${path}[${i}]`, knownSchemes, problems));
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!item) return;
    const key = `${item.scheme}:${item.trustRoot ?? ''}`;
    if (seen.has(key)) problems.push({ code: 'ITEM_DUPLICATE', message: 'the same item is listed twice', path: `${path}[${i}]` });
    seen.add(key);
  });
  return problems.length === before ? (items as RequirementItem[]) : undefined;
}

function readItem(raw: unknown, path: string, knownSchemes: readonly string[], problems: Problems): RequirementItem | undefined {
  let scheme: unknown;
  let trustRoot: unknown;
  if (typeof raw === 'string') {
    const colon = raw.indexOf(':');
    [scheme, trustRoot] = colon < 0 ? [raw, undefined] : [raw.slice(0, colon), raw.slice(colon + 1)];
  } else if (isRecord(raw)) {
    for (const key of Object.keys(raw)) {
      if (key !== 'scheme' && key !== 'trustRoot') problems.push({ code: 'FIELD_UNKNOWN', message: `unknown field "${key}"`, path: `${path}.${key}` });
    }
    ({ scheme, trustRoot } = raw);
  } else {
    problems.push({ code: 'TYPE_INVALID', message: 'an item is "scheme", "scheme:trustRoot" or {"scheme", "trustRoot"?}', path });
    return undefined;
  }
  if (typeof scheme !== 'string' || !NAME.test(scheme)) {
    problems.push({ code: 'SCHEME_INVALID', message: `scheme must be a lowercase name, got ${JSON.stringify(scheme)}`, path });
    return undefined;
  }
  if (!knownSchemes.includes(scheme)) {
    problems.push({ code: 'SCHEME_UNKNOWN', message: `unknown scheme "${scheme}" (known: ${knownSchemes.join(', ')})`, path });
    return undefined;
  }
  if (trustRoot !== undefined && (typeof trustRoot !== 'string' || trustRoot === '')) {
    problems.push({ code: 'TRUST_ROOT_INVALID', message: 'trustRoot must be a non-empty string', path });
    return undefined;
  }
  return trustRoot === undefined ? { scheme } : { scheme, trustRoot };
}
