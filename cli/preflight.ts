import { stat } from 'node:fs/promises';
import type { Settings } from '../shared/config/index.js';
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
