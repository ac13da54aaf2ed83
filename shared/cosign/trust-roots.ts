import { createHash, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, Verifier, type TrustMaterial } from '@sigstore/verify';
import { isRecord, parseBoundedJson } from './bounded-json.js';
import type { SchemeDeps } from '../scheme/index.js';
import { isKeylessRoot, type CosignConfig, type IdentityConfig, type KeyedRootConfig } from './config.js';
import { LIMITS } from './constants.js';
import { CosignError } from './errors.js';
import { keyId, parsePublicKeyPem } from './keys.js';
import { fetchKeyVaultKey, type KeyVaultKeyRef } from './keyvault-key.js';

/** One identity a keyless root accepts: both the SAN and the OIDC issuer must match (exact or anchored regexp). */
export interface IdentityMatcher {
  subject: (san: string) => boolean;
  issuer: (issuer: string) => boolean;
  /** The configured form, for messages and the fingerprint. */
  describe: IdentityConfig;
}

/** A keyed root whose key is re-read from Key Vault: how to rebuild the root with the key it finds next. */
export interface KeyVaultSource {
  ref: KeyVaultKeyRef;
  refreshMs: number;
  /** When the key in use was read (clock ms). */
  loadedAt: number;
  rebuild(key: KeyObject, loadedAt: number): KeyedTrustRoot;
}

export interface KeyedTrustRoot {
  kind: 'keyed';
  name: string;
  key: KeyObject;
  keyId: string;
  hashAlgorithm: 'sha256' | 'sha384' | 'sha512';
  verifier: Verifier;
  tlogThreshold: number;
  checksTlog: boolean;
  material: string;
  keyVault?: KeyVaultSource;
}

export type TrustRoot =
  | KeyedTrustRoot
  | { kind: 'keyless'; name: string; verifier: Verifier; identities: IdentityMatcher[]; tlogThreshold: number; ctlogThreshold: number; material: string };

const TRUSTED_ROOT_MEDIA_TYPES = new Set([
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.1+json',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
]);

/** Loads keys and trusted roots named by a validated configuration; every problem is listed (ERR_COSIGN_CONFIG). */
export async function loadTrustRoots(config: CosignConfig, deps: Pick<SchemeDeps, 'baseDir' | 'fetch' | 'clock'>): Promise<TrustRoot[]> {
  const { baseDir } = deps;
  const problems: string[] = [];
  const roots: TrustRoot[] = [];
  for (const [name, root] of Object.entries(config.trustRoots)) {
    const at = `trustRoots.${name}`;
    try {
      if (isKeylessRoot(root)) {
        const { trustedRoot, text } = await readTrustedRoot(baseDir, root.keyless.trustedRoot.file);
        if (trustedRoot.certificateAuthorities.length === 0) throw new Error('trusted root lists no certificate authority (Fulcio)');
        if (root.keyless.tlog.threshold > 0 && trustedRoot.tlogs.length === 0) throw new Error('trusted root lists no transparency log (Rekor) but tlog.threshold > 0');
        const material = toTrustMaterial(trustedRoot, noKeys);
        const verifier = new Verifier(material, { tlogThreshold: root.keyless.tlog.threshold, ctlogThreshold: root.keyless.ctlog.threshold, timestampThreshold: root.keyless.timestamps.threshold });
        const fingerprint = { trustedRoot: sha256(text), identities: root.keyless.identities, tlog: root.keyless.tlog, ctlog: root.keyless.ctlog, timestamps: root.keyless.timestamps };
        roots.push({ kind: 'keyless', name, verifier, identities: root.keyless.identities.map(toMatcher), tlogThreshold: root.keyless.tlog.threshold, ctlogThreshold: root.keyless.ctlog.threshold, material: JSON.stringify(fingerprint) });
      } else {
        const loaded = root.trustedRoot ? await readTrustedRoot(baseDir, root.trustedRoot.file) : undefined;
        if (root.keyVault) {
          const vault = root.keyVault;
          const ref = { vaultUrl: vault.vaultUrl, name: vault.name, ...(vault.version ? { version: vault.version } : {}) };
          const rebuild = (key: KeyObject, loadedAt: number): KeyedTrustRoot => ({ ...keyedRoot(name, key, root, loaded), keyVault: { ref, refreshMs: vault.refreshSeconds * 1000, loadedAt, rebuild } });
          roots.push(rebuild(await fetchKeyVaultKey(deps.fetch, ref), deps.clock.now().getTime()));
        } else {
          const publicKey = root.publicKey ?? '';
          const pem = typeof publicKey === 'string' ? publicKey : await readBounded(baseDir, publicKey.file, 64 * 1024);
          roots.push(keyedRoot(name, parsePublicKeyPem(pem), root, loaded));
        }
      }
    } catch (error) {
      // An unreachable vault is not a configuration mistake: keep its kind (inconclusive) rather than hide it.
      if (error instanceof CosignError && error.code === 'ERR_COSIGN_KEYVAULT') throw new CosignError('ERR_COSIGN_KEYVAULT', `${at}: ${error.message}`, { cause: error });
      problems.push(`${at}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) throw new CosignError('ERR_COSIGN_CONFIG', `cosign configuration: ${problems.join('; ')}`, { details: { problems } });
  return roots;
}

function keyedRoot(name: string, key: KeyObject, root: KeyedRootConfig, loaded: { trustedRoot: TrustedRoot; text: string } | undefined): KeyedTrustRoot {
  const finder = () => ({ publicKey: key, validFor: () => true });
  const material: TrustMaterial = loaded ? toTrustMaterial(loaded.trustedRoot, finder) : { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [], publicKey: finder };
  const verifier = new Verifier(material, { tlogThreshold: root.tlog.threshold, ctlogThreshold: 0, timestampThreshold: 0 });
  const id = keyId(key);
  const fingerprint = { keyId: id, hashAlgorithm: root.hashAlgorithm, trustedRoot: loaded ? sha256(loaded.text) : null, tlog: root.tlog, keyVault: root.keyVault ?? null };
  return { kind: 'keyed', name, key, keyId: id, hashAlgorithm: root.hashAlgorithm, verifier, tlogThreshold: root.tlog.threshold, checksTlog: loaded !== undefined, material: JSON.stringify(fingerprint) };
}

function noKeys(): never {
  throw new Error('keyless trust roots hold no public keys');
}

async function readBounded(baseDir: string, file: string, maxBytes: number): Promise<string> {
  const path = resolve(baseDir, file);
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  });
  if (bytes.length > maxBytes) throw new Error(`${file} is larger than ${maxBytes} bytes`);
  return bytes.toString('utf8');
}

async function readTrustedRoot(baseDir: string, file: string): Promise<{ trustedRoot: TrustedRoot; text: string }> {
  const text = await readBounded(baseDir, file, LIMITS.trustedRootBytes);
  const json = parseBoundedJson(text, LIMITS.trustedRootBytes, file);
  if (!isRecord(json) || typeof json.mediaType !== 'string' || !TRUSTED_ROOT_MEDIA_TYPES.has(json.mediaType)) {
    throw new Error(`${file} is not a Sigstore trusted root (mediaType ${isRecord(json) ? JSON.stringify(json.mediaType) : 'missing'})`);
  }
  return { trustedRoot: TrustedRoot.fromJSON(json), text };
}

function toMatcher(identity: IdentityConfig): IdentityMatcher {
  return { subject: matcher(identity.subject, identity.subjectRegExp), issuer: matcher(identity.issuer, identity.issuerRegExp), describe: identity };
}

/** Exact comparison, or a regular expression anchored at both ends (a pattern cannot match a substring). */
function matcher(exact: string | undefined, pattern: string | undefined): (value: string) => boolean {
  if (exact !== undefined) return (value) => value === exact;
  const re = new RegExp(`^(?:${pattern ?? ''})$`, 'u');
  return (value) => re.test(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
