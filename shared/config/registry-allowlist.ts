import type { TrustPolicyDocument } from '../policy/index.js';

/** Hosts that must never be contacted whatever the configuration: cloud metadata and link-local. */
export type AllowRegistry = (host: string) => boolean;

/**
 * By default only registries named in the trust policy's scopes, or in the verification policy's (`scopes`), may be
 * contacted; an explicit list (TRUSTGATE_ALLOWED_REGISTRIES) replaces that, and "*" in it allows any host.
 */
export function registryAllowlist(policy: TrustPolicyDocument, explicit: string[] | undefined, scopes: readonly string[] = []): AllowRegistry {
  if (explicit?.includes('*')) return () => true;
  const hosts = new Set(explicit ?? [...policyRegistries(policy), ...scopeRegistries(scopes)]);
  return (host) => hosts.has(host.toLowerCase());
}

export function policyRegistries(policy: TrustPolicyDocument): string[] {
  return scopeRegistries(policy.trustPolicies.flatMap((statement) => statement.registryScopes ?? []));
}

/** The registry hosts of `registry/repository` scopes (`*` names none). */
function scopeRegistries(scopes: readonly string[]): string[] {
  const hosts = new Set<string>();
  for (const scope of scopes) if (scope !== '*') hosts.add((scope.split('/')[0] as string).toLowerCase());
  return [...hosts];
}
