import { generateKeyPairSync } from 'node:crypto';
import { fixedClock, silentLogger } from '../../shared/core/index.js';
import type { FetchLike } from '../../shared/core/index.js';
import { dctScheme } from '../../shared/dct/index.js';
import type { Descriptor } from '../../shared/oci/index.js';
import type { EvidenceRegistry, EvidenceScheme, SchemeDeps, SchemeRequest, SchemeResult } from '../../shared/scheme/index.js';

/** DCT never reads the registry through the port (trust data lives on the trust server): any use is a test failure. */
export const unusedRegistry: EvidenceRegistry = {
  referrers() {
    throw new Error('dct must not list referrers');
  },
  manifestByTag() {
    return Promise.reject(new Error('dct must not read tags'));
  },
  blob() {
    return Promise.reject(new Error('dct must not read blobs'));
  },
};

export function createDct(
  config: unknown,
  fetch: FetchLike = (input, init) => globalThis.fetch(input, init),
  credentials?: SchemeDeps['credentials'],
): Promise<EvidenceScheme> {
  return dctScheme.create(config, { clock: fixedClock(new Date()), logger: silentLogger, fetch, baseDir: process.cwd(), ...(credentials ? { credentials } : {}) });
}

export interface VerifyArgs {
  registry: string;
  repository: string;
  subject: Descriptor;
  tag?: string;
  at?: Date;
  trustRoots?: string[];
}

export function verifyDct(scheme: EvidenceScheme, args: VerifyArgs): Promise<SchemeResult> {
  const request: SchemeRequest = {
    repository: { registry: args.registry, repository: args.repository },
    ...(args.tag === undefined ? {} : { tag: args.tag }),
    subject: args.subject,
    trustRoots: args.trustRoots ?? [],
    at: args.at ?? new Date(),
    signal: AbortSignal.timeout(20_000),
    registry: unusedRegistry,
  };
  return scheme.verify(request);
}

/** A genuine ECDSA public key in Notary's TUF form that signs nothing (a wrong pin by material). */
export function strangerKey(): { keytype: 'ecdsa'; keyval: { public: string } } {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { keytype: 'ecdsa', keyval: { public: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') } };
}
