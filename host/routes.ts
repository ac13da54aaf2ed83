import type { FunctionDefinition } from '../functions/definition.js';

type HttpDefinition = Extract<FunctionDefinition, { kind: 'http' }>;

export interface RouteMatch {
  definition: HttpDefinition;
  params: Record<string, string>;
}

/**
 * Matches `/api/<route>` the way the Functions host does: literal segments, `{name}` parameters and
 * optional `{name?}` parameters (route constraints like `{id:int}` are not used by trustgate).
 */
export function matchRoute(definitions: readonly FunctionDefinition[], method: string, pathname: string): RouteMatch | { allow: string[] } | undefined {
  if (!pathname.startsWith('/api/')) return undefined;
  let segments: string[];
  try {
    segments = pathname.slice('/api/'.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined; // a malformed %-escape names no route
  }
  const allow = new Set<string>();
  for (const { definition, pattern } of compiled(definitions)) {
    const params = matchSegments(pattern, segments);
    if (!params) continue;
    if (definition.methods.includes(method.toUpperCase() as HttpDefinition['methods'][number])) return { definition, params };
    for (const m of definition.methods) allow.add(m);
  }
  return allow.size > 0 ? { allow: [...allow] } : undefined;
}

/** One route segment: a literal (lowercased) or a `{name}` / `{name?}` parameter. */
type Segment = { literal: string } | { param: string; optional: boolean };

/** Route patterns split once per definitions list, not on every request. */
const patterns = new WeakMap<readonly FunctionDefinition[], { definition: HttpDefinition; pattern: Segment[] }[]>();

function compiled(definitions: readonly FunctionDefinition[]) {
  let list = patterns.get(definitions);
  if (list === undefined) {
    list = definitions.flatMap((definition) => (definition.kind === 'http' ? [{ definition, pattern: definition.route.split('/').map(toSegment) }] : []));
    patterns.set(definitions, list);
  }
  return list;
}

function toSegment(part: string): Segment {
  const param = /^\{(\w+)(\?)?\}$/.exec(part);
  return param ? { param: param[1] as string, optional: param[2] === '?' } : { literal: part.toLowerCase() };
}

function matchSegments(pattern: readonly Segment[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as Segment;
    const value = segments[i];
    if ('param' in part) {
      if (value === undefined) {
        if (part.optional) continue;
        return undefined;
      }
      params[part.param] = value;
    } else if (part.literal !== value?.toLowerCase()) {
      return undefined;
    }
  }
  return segments.length <= pattern.length ? params : undefined;
}
