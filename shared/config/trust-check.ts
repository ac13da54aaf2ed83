import { AppError } from '../core/index.js';
import { trustStoreRefs, type TrustPolicyDocument, type TrustPolicyStatement } from '../policy/index.js';
import { namedStorePath, validateNamedStores, validateTrustStoreRoot, type TrustStore, type TrustStoreType } from '../truststore/index.js';
import type { ConfigProblem } from './problems.js';
import type { Settings } from './settings.js';

/**
 * Start-up check of the trust material: the directory layout (TRUSTGATE_TRUST_STORE) and every store the policy names —
 * it exists in a configured source, loads, and holds at least one certificate of its type. Problems name the setting
 * and the path, never certificate contents or other values.
 */
export async function checkTrustStores(settings: Settings, policy: TrustPolicyDocument, store: TrustStore): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const dir = settings.trustStoreDir;
  if (dir) {
    for (const p of await validateTrustStoreRoot(dir)) {
      const what = p.store === 'root' ? 'the trust store directory' : `trust store ${p.store}`;
      problems.push({ setting: 'TRUSTGATE_TRUST_STORE', group: 'core', message: `TRUSTGATE_TRUST_STORE: ${what} ${p.message} (${p.path})`, ...(p.path ? { path: p.path } : {}) });
    }
    if (problems.length > 0 && !settings.trustStoreInline && !settings.azure.keyVault) return problems;
  }
  const setting = dir ? 'TRUSTGATE_TRUST_STORE' : settings.trustStoreInline ? 'TRUSTGATE_TRUST_STORE_INLINE' : 'TRUSTGATE_KEYVAULT_STORES';
  const pathOf = dir ? (type: TrustStoreType, name: string) => namedStorePath(dir, type, name) : undefined;
  for (const p of await validateNamedStores(store, policyStoreRefs(policy), pathOf)) {
    const where = p.path ? ` (${p.path})` : '';
    problems.push({ setting, group: 'core', message: `${setting}: ${p.message}${where}`, ...(p.path ? { path: p.path } : {}) });
  }
  return problems;
}

/** Every store any statement names, once. */
export function policyStoreRefs(policy: TrustPolicyDocument): Array<{ type: TrustStoreType; name: string }> {
  const seen = new Map<string, { type: TrustStoreType; name: string }>();
  for (const statement of policy.trustPolicies) for (const ref of trustStoreRefs(statement)) seen.set(`${ref.type}:${ref.name}`, ref);
  return [...seen.values()];
}

/**
 * Before a signature is checked: the statement's stores still load. One that broke after start-up (deleted, made
 * unreadable, emptied) makes the answer inconclusive (ERR_TRUST_STORE_UNAVAILABLE) instead of a deny that would be cached.
 */
export async function assertStoresAvailable(store: TrustStore, statement: TrustPolicyStatement): Promise<void> {
  for (const ref of trustStoreRefs(statement)) {
    try {
      const certificates = await store.getCertificates(ref.type, ref.name);
      if (certificates.length === 0) throw new Error('it holds no certificate');
    } catch (error) {
      throw new AppError('ERR_TRUST_STORE_UNAVAILABLE', 'inconclusive', `trust store ${ref.type}:${ref.name} is unavailable: ${(error as Error).message}`, { cause: error });
    }
  }
}
