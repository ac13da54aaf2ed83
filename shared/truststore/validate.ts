/**
 * Start-up checks of trust material: the directory layout around the named stores (the file store checks inside them)
 * and that every store a policy names loads with at least one certificate. Problems name the store and the path; a
 * store's content (certificates) is never quoted.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { X509_DIR } from './constants.js';
import { TRUST_STORE_TYPES, type TrustStore, type TrustStoreType } from './port.js';

export interface TrustStoreProblem {
  /** `type:name`, or `root` for the directory itself. */
  store: string;
  code: string;
  message: string;
  /** The directory or file involved, when there is one. */
  path?: string;
}

/**
 * The root, `x509/` and each `x509/<type>/` must be real directories (no symbolic links), and every entry of a type
 * directory a directory (a named store): a stray file or a link there is a mistake the spec's loader would skip silently.
 */
export async function validateTrustStoreRoot(root: string): Promise<TrustStoreProblem[]> {
  const rootProblem = await directoryProblem(root, 'root', true);
  if (rootProblem) return [rootProblem];
  const x509 = join(root, X509_DIR);
  const x509Problem = await directoryProblem(x509, 'root', false);
  if (x509Problem) return [x509Problem];
  const problems: TrustStoreProblem[] = [];
  for (const type of TRUST_STORE_TYPES) {
    const typeDir = join(x509, type);
    const typeProblem = await directoryProblem(typeDir, type, false);
    if (typeProblem) {
      problems.push(typeProblem);
      continue;
    }
    for (const name of await readdir(typeDir).catch(() => [] as string[])) {
      const path = join(typeDir, name);
      const info = await lstat(path);
      if (info.isSymbolicLink()) problems.push({ store: `${type}:${name}`, code: 'ERR_TRUST_STORE_SYMLINK', message: 'is a symbolic link (not supported)', path });
      else if (!info.isDirectory()) problems.push({ store: `${type}:${name}`, code: 'ERR_TRUST_STORE_ENTRY_UNSUPPORTED', message: 'is not a directory (a named store is a directory)', path });
    }
  }
  return problems;
}

/** Each named store loads (the store applies the anchor rules of its type) and holds at least one certificate. */
export async function validateNamedStores(
  store: TrustStore,
  refs: ReadonlyArray<{ type: TrustStoreType; name: string }>,
  pathOf: (type: TrustStoreType, name: string) => string | undefined = () => undefined,
): Promise<TrustStoreProblem[]> {
  const problems: TrustStoreProblem[] = [];
  for (const { type, name } of refs) {
    const path = pathOf(type, name);
    try {
      const certificates = await store.getCertificates(type, name);
      if (certificates.length === 0) problems.push({ store: `${type}:${name}`, code: 'ERR_TRUST_STORE_EMPTY', message: `trust store ${type}:${name} holds no certificate`, ...(path ? { path } : {}) });
    } catch (error) {
      if (!isAppError(error)) throw error;
      problems.push({ store: `${type}:${name}`, code: error.code, message: error.message, ...(path ? { path } : {}) });
    }
  }
  return problems;
}

/** Where the file store keeps a named store. */
export function namedStorePath(root: string, type: TrustStoreType, name: string): string {
  return join(root, X509_DIR, type, name);
}

async function directoryProblem(path: string, store: string, required: boolean): Promise<TrustStoreProblem | undefined> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && !required) return undefined;
    return { store, code: missing ? 'ERR_TRUST_STORE_NOT_FOUND' : 'ERR_TRUST_STORE_UNREADABLE', message: missing ? 'does not exist' : 'cannot be read', path };
  }
  if (info.isSymbolicLink()) return { store, code: 'ERR_TRUST_STORE_SYMLINK', message: 'is a symbolic link (not supported)', path };
  if (!info.isDirectory()) return { store, code: 'ERR_TRUST_STORE_NOT_DIRECTORY', message: 'is not a directory', path };
  return undefined;
}
