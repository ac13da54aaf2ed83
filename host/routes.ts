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
  for (const definition of definitions) {
    if (definition.kind !== 'http') continue;
    const params = matchSegments(definition.route.split('/'), segments);
    if (!params) continue;
    if (definition.methods.includes(method.toUpperCase() as HttpDefinition['methods'][number])) return { definition, params };
    for (const m of definition.methods) allow.add(m);
  }
  return allow.size > 0 ? { allow: [...allow] } : undefined;
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] as string;
    const value = segments[i];
    const param = /^\{(\w+)(\?)?\}$/.exec(part);
    if (param) {
      if (value === undefined) {
        if (param[2] === '?') continue;
        return undefined;
      }
      params[param[1] as string] = value;
    } else if (part.toLowerCase() !== value?.toLowerCase()) {
      return undefined;
    }
  }
  return segments.length <= pattern.length ? params : undefined;
}
