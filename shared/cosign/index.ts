/**
 * The cosign / Sigstore evidence scheme: keyed (PEM public keys) and keyless (Fulcio + Rekor, trusted root)
 * signatures in cosign's `.sig` tag scheme and as OCI 1.1 Sigstore bundle referrers. One export to the
 * composition root: `cosignScheme`. Importing this file is cheap: the Sigstore libraries load in `create`.
 */
import type { EvidenceScheme, SchemeDeps, SchemeFactory } from '../scheme/index.js';
import { SCHEME_NAME } from './constants.js';

export const cosignScheme: SchemeFactory = {
  name: SCHEME_NAME,
  async create(config: unknown, deps: SchemeDeps): Promise<EvidenceScheme> {
    const [{ parseCosignConfig }, { loadTrustRoots }, { CosignScheme }] = await Promise.all([import('./config.js'), import('./trust-roots.js'), import('./scheme.js')]);
    const parsed = parseCosignConfig(config);
    return new CosignScheme(await loadTrustRoots(parsed, deps), deps);
  },
};

export { CosignError, cosignErrorKind } from './errors.js';
export type { CosignErrorCode } from './errors.js';
export type { CosignConfig } from './config.js';
export * from './constants.js';
