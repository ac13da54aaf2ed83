import { readFile } from 'node:fs/promises';
import { isAppError } from '../core/index.js';
import { parseTrustPolicy, type TrustPolicyDocument } from '../policy/index.js';
import { configError, type Settings } from './settings.js';

/** Loads TRUSTGATE_TRUST_POLICY (file or inline JSON); every failure names the setting. */
export async function loadTrustPolicy(setting: Settings['trustPolicy']): Promise<TrustPolicyDocument> {
  let text: string;
  if (setting.kind === 'inline') {
    text = setting.json;
  } else {
    try {
      text = await readFile(setting.path, 'utf8');
    } catch (error) {
      throw configError('TRUSTGATE_TRUST_POLICY', `cannot read ${setting.path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, error);
    }
  }
  try {
    return parseTrustPolicy(text);
  } catch (error) {
    if (isAppError(error)) {
      const wrapped = configError('TRUSTGATE_TRUST_POLICY', error.message, error);
      Object.assign(wrapped, { problems: (error as { problems?: unknown }).problems });
      throw wrapped;
    }
    throw error;
  }
}
