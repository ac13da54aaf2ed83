import type { TrustPolicyDocument } from '../policy/index.js';

/** Hosts that must never be contacted whatever the configuration: cloud metadata and link-local. */
export type AllowRegistry = (host: string) => boolean;

/**
 * By default only registries named in the trust policy's scopes may be contacted; an explicit list
 * (TRUSTGATE_ALLOWED_REGISTRIES) replaces that, and "*" in it allows any host.
 */
export function registryAllowlist(policy: TrustPolicyDocument, explicit: string[] | undefined): AllowRegistry {
  if (explicit?.includes('*')) return () => true;
  const hosts = new Set(explicit ?? policyRegistries(policy));
  return (host) => hosts.has(host.toLowerCase());
}

export function policyRegistries(policy: TrustPolicyDocument): string[] {
  const hosts = new Set<string>();
  for (const statement of policy.trustPolicies) {
    for (const scope of statement.registryScopes ?? []) {
      if (scope !== '*') hosts.add((scope.split('/')[0] as string).toLowerCase());
    }
  }
  return [...hosts];
}
