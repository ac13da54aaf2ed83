/**
 * What evidence a registry scope requires, across evidence schemes. The Notation trust policy stays as Notation
 * users write it; this document only says which schemes (and trust roots) must have accepted an image.
 */

/** One piece of required evidence: an ok outcome of this scheme (accepted by this trust root, when named). */
export interface RequirementItem {
  scheme: string;
  trustRoot?: string;
}

/** any-of (one item), all-of (every item) or N-of-M (at least `count` items). */
export type Requirement =
  | { mode: 'anyOf'; items: RequirementItem[] }
  | { mode: 'allOf'; items: RequirementItem[] }
  | { mode: 'atLeast'; count: number; items: RequirementItem[] };

export interface ScopedRequirement {
  /** The policy's name (shown in verdicts). */
  name: string;
  registryScopes: string[];
  require: Requirement;
}

/** A validated verification policy document. */
export interface VerificationPolicyDocument {
  version: '1';
  /** Each scheme's own configuration section, opaque here (validated by the scheme's factory). */
  schemes: Record<string, unknown>;
  policies: ScopedRequirement[];
}

/** How many items of a requirement must be satisfied. */
export function neededCount(requirement: Requirement): number {
  switch (requirement.mode) {
    case 'anyOf':
      return 1;
    case 'allOf':
      return requirement.items.length;
    case 'atLeast':
      return requirement.count;
  }
}

/** "notary", "cosign:release-key": how an item is written in messages and policies. */
export function describeItem(item: RequirementItem): string {
  return item.trustRoot === undefined ? item.scheme : `${item.scheme}:${item.trustRoot}`;
}
