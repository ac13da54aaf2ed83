import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/run.js';

function run(document: unknown) {
  const file = join(mkdtempSync(join(tmpdir(), 'trustgate-vp-')), 'policy.json');
  writeFileSync(file, JSON.stringify(document));
  let stdout = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: () => undefined, env: {} };
  return runCli(['policy', 'validate', file], io).then((code) => ({ code, stdout }));
}

describe('trustgate policy validate (verification policy)', () => {
  it('accepts a valid verification policy', async () => {
    const { code, stdout } = await run({ version: '1', policies: [{ name: 'all', registryScopes: ['*'], require: { anyOf: ['notary'] } }] });
    expect(code).toBe(0);
    expect(stdout).toContain('valid verification policy');
  });

  it('lists each problem with its path and code, and exits 1', async () => {
    const { code, stdout } = await run({ version: '1', policies: [{ name: 'all', registryScopes: ['R.io/App'], require: { anyOf: ['pgp'] } }] });
    expect(code).toBe(1);
    expect(stdout).toContain('policies[0].registryScopes[0]: scope "R.io/App" must be lowercase [SCOPE_NOT_LOWERCASE]');
    expect(stdout).toContain('policies[0].require.anyOf[0]: unknown scheme "pgp" (known: notary, cosign, dct) [SCHEME_UNKNOWN]');
  });
});
