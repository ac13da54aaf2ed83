import { createCa, createLeaf, type CaOptions, type LeafOptions, type TestCert } from './certs.js';
import type { KeyType } from './keys.js';

/** A leaf-first chain: [leaf, ...intermediates, root]. */
export interface TestChain {
  readonly root: TestCert;
  readonly intermediates: TestCert[];
  readonly leaf: TestCert;
  /** Leaf first, root last (the order of an envelope's x5c). */
  readonly certs: TestCert[];
  /** DER of `certs`, in the same order. */
  readonly ders: Buffer[];
}

export interface ChainOptions {
  /** Optional. Key type of every certificate unless overridden below. Default: 'rsa-2048'. */
  keyType?: KeyType;
  /** Optional. Number of intermediate CAs. Default: 1. */
  intermediates?: number;
  /** Optional. Prefix of the CNs, so two chains in one test get distinct names and keys. Default: 'Test'. */
  prefix?: string;
  /** Optional. Overrides for the root. */
  root?: Partial<CaOptions>;
  /** Optional. Overrides for each intermediate (index 0 is the one just below the root). */
  intermediate?: Partial<CaOptions>;
  /** Optional. Overrides for the leaf (profile, keyUsage, eku, ocspUrls, ...). */
  leaf?: Partial<LeafOptions>;
}

/** Root → intermediates → leaf, every certificate valid around PKI_NOW unless overridden. */
export function createChain(options: ChainOptions = {}): TestChain {
  const prefix = options.prefix ?? 'Test';
  const keyType = options.keyType ?? 'rsa-2048';
  const root = createCa({ name: `CN=${prefix} Root, O=Notary Test, ST=WA, C=US`, keyType, ...options.root });
  const intermediates: TestCert[] = [];
  let issuer = root;
  for (let i = 0; i < (options.intermediates ?? 1); i++) {
    issuer = createCa({ name: `CN=${prefix} Intermediate ${i + 1}, O=Notary Test, ST=WA, C=US`, keyType, issuer, ...options.intermediate });
    intermediates.unshift(issuer);
  }
  const leaf = createLeaf({ name: `CN=${prefix} Leaf, O=Notary Test, L=Seattle, ST=WA, C=US`, keyType, issuer, ...options.leaf });
  const certs = [leaf, ...intermediates, root];
  return { root, intermediates, leaf, certs, ders: certs.map((c) => c.der) };
}

/** The chain above `cert` (itself first, then each issuer) as the TestCerts remember it. */
export function chainOf(cert: TestCert): TestCert[] {
  const out: TestCert[] = [];
  for (let at: TestCert | undefined = cert; at; at = at.issuer) out.push(at);
  return out;
}
