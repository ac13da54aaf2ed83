import { readFile } from 'node:fs/promises';
import { configError } from './settings.js';

/**
 * Reads `local.settings.json` the way the Functions host does: its `Values` become environment
 * variables unless the environment already sets them. A missing file is fine; a broken one is not.
 */
export async function loadLocalSettings(path: string, env: Record<string, string | undefined>): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw configError('local.settings.json', `cannot read ${path}`, error);
  }
  let values: unknown;
  try {
    values = (JSON.parse(text) as { Values?: unknown }).Values;
  } catch (error) {
    throw configError('local.settings.json', 'is not valid JSON', error);
  }
  if (values === undefined) return true;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw configError('local.settings.json', '"Values" must be an object');
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string') throw configError(`local.settings.json Values.${name}`, 'must be a string');
    if (env[name] === undefined) env[name] = value;
  }
  return true;
}
