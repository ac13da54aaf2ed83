import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version in trustgate's package.json, found by walking up from this file (cli/ in the sources, dist/cli/ when
 * built). Reads one small file and loads nothing else, so `trustgate --version` stays as fast as node's start.
 */
export function readVersion(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from, depth = 0; depth < 4; depth++, dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'trustgate' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // not here: look one directory up
    }
  }
  return 'unknown';
}
