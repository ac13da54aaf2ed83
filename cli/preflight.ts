import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../shared/config/index.js';
import type { TrustPolicyDocument } from '../shared/policy/index.js';
import { CliError } from './cli-error.js';

/** Where a setting came from, for messages: the flag when one was given, else the environment variable. */
export interface SettingSource {
  trustPolicy: '--trust-policy' | 'TRUSTGATE_TRUST_POLICY';
  trustStore: '--trust-store' | 'TRUSTGATE_TRUST_STORE';
}

/**
 * Files the command cannot work without are checked before anything is verified, so a typo is exit 2 naming the flag
 * and the path — not a "NOT VERIFIED" (exit 1) for every image, which a pipeline would read as an unsigned image.
 */
export async function checkFiles(settings: Settings, source: SettingSource): Promise<void> {
  if (settings.trustPolicy.kind === 'file') await expectKind(settings.trustPolicy.path, 'file', `trust policy (${source.trustPolicy})`);
  if (settings.trustStoreDir !== undefined) await expectKind(settings.trustStoreDir, 'directory', `trust store (${source.trustStore})`);
}

/**
 * Every `ca:`/`signingAuthority:`/`tsa:` store a statement names must exist in the Notation-layout directory unless an
 * inline store provides it (Key Vault stores are remote and checked when read).
 */
export async function checkNamedStores(settings: Settings, policy: TrustPolicyDocument, source: SettingSource): Promise<void> {
  const dir = settings.trustStoreDir;
  if (dir === undefined || settings.azure.keyVault !== undefined) return;
  const inline = new Set(Object.keys(settings.trustStoreInline ?? {}));
  for (const statement of policy.trustPolicies) {
    for (const ref of statement.trustStores) {
      if (inline.has(ref)) continue;
      const [type, name] = ref.split(':') as [string, string];
      await expectKind(join(dir, 'x509', type, name), 'directory', `trust store "${ref}" of trust policy statement "${statement.name}" (${source.trustStore})`);
    }
  }
}

async function expectKind(path: string, kind: 'file' | 'directory', what: string): Promise<void> {
  let isKind: boolean;
  try {
    const info = await stat(path);
    isKind = kind === 'file' ? info.isFile() : info.isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' || code === 'ENOTDIR' ? `${what}: not found: ${path}` : `${what}: cannot read ${path} (${code ?? 'error'})`);
  }
  if (!isKind) throw new CliError(`${what}: ${path} is not a ${kind}`);
}
