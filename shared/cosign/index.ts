/**
 * The cosign / Sigstore evidence scheme: keyed (PEM public keys) and keyless (Fulcio + Rekor, trusted root)
 * signatures in cosign's `.sig` tag scheme and as OCI 1.1 Sigstore bundle referrers. One export to the
 * composition root: `cosignScheme`.
 */
import type { EvidenceScheme, SchemeDeps, SchemeFactory } from '../scheme/index.js';
import { parseCosignConfig } from './config.js';
import { SCHEME_NAME } from './constants.js';
import { CosignScheme } from './scheme.js';
import { loadTrustRoots } from './trust-roots.js';

export const cosignScheme: SchemeFactory = {
  name: SCHEME_NAME,
  async create(config: unknown, deps: SchemeDeps): Promise<EvidenceScheme> {
    const parsed = parseCosignConfig(config);
    return new CosignScheme(await loadTrustRoots(parsed, deps.baseDir), deps);
  },
};

export { CosignError, cosignErrorKind } from './errors.js';
export type { CosignErrorCode } from './errors.js';
export type { CosignConfig } from './config.js';
export * from './constants.js';
