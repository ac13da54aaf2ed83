/**
 * The evidence schemes trustgate knows: the one place a scheme is wired in. Adding a scheme = one module exporting a
 * SchemeFactory + one line in `schemeFactories` below. Loaded on first use (schemes pull their crypto libraries).
 */
import { cosignScheme } from '../cosign/index.js';
import { dctScheme } from '../dct/index.js';
import { notarySchemeFactory, type NotaryChecker, type RevocationPort } from '../notary/index.js';
import type { TrustPolicyDocument } from '../policy/index.js';
import type { SchemeFactory } from '../scheme/index.js';
import type { TrustStore } from '../truststore/index.js';

/** Trust material the composition root has already loaded (Notary's comes from TRUSTGATE_TRUST_POLICY and the stores). */
export interface SchemeMaterial {
  trustPolicy: TrustPolicyDocument;
  trustStore: TrustStore;
  revocation: RevocationPort;
  /** Optional. The Notary engine with the composition root's pre-checks. Default: the engine with `revocation`. */
  checker?: NotaryChecker;
}

export function schemeFactories(material: SchemeMaterial): SchemeFactory[] {
  return [
    notarySchemeFactory({ policy: material.trustPolicy, trustStore: material.trustStore, revocation: material.revocation, ...(material.checker ? { checker: material.checker } : {}) }),
    cosignScheme,
    dctScheme,
  ];
}

/** Schemes configured outside the verification policy: built even when it has no section for them. */
export const ALWAYS_BUILT_SCHEMES: readonly string[] = ['notary'];

/** The names of every scheme in the list (the factories only keep the material; nothing is built or read). */
export function schemeNames(): string[] {
  return schemeFactories({} as SchemeMaterial).map((f) => f.name);
}
