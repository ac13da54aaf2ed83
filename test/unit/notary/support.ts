import { X509Certificate } from 'node:crypto';
import type { TrustPolicyStatement } from '../../../shared/policy/index.js';
import type { TrustStore, TrustStoreType } from '../../../shared/truststore/index.js';
import type { ChainRevocationStatus, RevocationPort } from '../../../shared/notary/index.js';
import { AppError } from '../../../shared/core/index.js';

/** An in-memory TrustStore: `type:name` → certificates; an absent store throws like a missing directory. */
export function memoryTrustStore(stores: Record<string, Array<Uint8Array | X509Certificate>>): TrustStore {
  return {
    async getCertificates(type: TrustStoreType, name: string) {
      const certs = stores[`${type}:${name}`];
      if (!certs) throw new AppError('ERR_TRUST_STORE_NOT_FOUND', 'config', `trust store ${type}:${name} does not exist`);
      return certs.map((cert) => (cert instanceof X509Certificate ? cert : new X509Certificate(cert)));
    },
    async fingerprint() {
      return Object.keys(stores).sort().join(',');
    },
  };
}

/** A statement with sensible defaults (scope *, identities *). */
export function statement(overrides: Partial<TrustPolicyStatement> & Pick<TrustPolicyStatement, 'trustStores'>): TrustPolicyStatement {
  return {
    name: 'test',
    registryScopes: ['*'],
    signatureVerification: { level: 'strict' },
    trustedIdentities: ['*'],
    ...overrides,
  };
}

/** A revocation port that answers per purpose and records what it was asked. */
export function stubRevocation(answers: Partial<Record<'codeSigning' | 'timestamping', ChainRevocationStatus | Error>>): RevocationPort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async checkChain(_chain, options) {
      calls.push(options.purpose);
      const answer = answers[options.purpose] ?? { status: 'ok' };
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}
