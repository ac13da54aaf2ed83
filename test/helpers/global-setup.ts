import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Once per `vitest run`: a key pool directory shared by every test file (they run in separate processes), so each
 * test key (RSA-4096 takes about a second on these machines) is generated once per run, not once per file.
 */
export default function setup(): () => void {
  const pool = process.env['TRUSTGATE_TEST_KEY_POOL'] ?? mkdtempSync(join(tmpdir(), 'trustgate-keys-'));
  const owned = process.env['TRUSTGATE_TEST_KEY_POOL'] === undefined;
  process.env['TRUSTGATE_TEST_KEY_POOL'] = pool;
  return () => {
    if (owned) rmSync(pool, { recursive: true, force: true });
  };
}
