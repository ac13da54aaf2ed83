import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/run.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env });
  return { code, stdout, stderr };
}

describe('trustgate messages', () => {
  let dir: string;
  let policy: string;
  let store: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustgate-cli-'));
    store = join(dir, 'store');
    await mkdir(join(store, 'x509', 'ca', 'present'), { recursive: true });
    policy = join(dir, 'policy.json');
    const statement = { name: 'app', registryScopes: ['127.0.0.1:1/app'], signatureVerification: { level: 'strict' }, trustStores: ['ca:present'], trustedIdentities: ['*'] };
    await writeFile(policy, JSON.stringify({ version: '1.0', trustPolicies: [statement] }));
    await writeFile(join(dir, 'other-store.json'), JSON.stringify({ version: '1.0', trustPolicies: [{ ...statement, trustStores: ['ca:absent'] }] }));
    await writeFile(join(dir, 'invalid.json'), JSON.stringify({ version: '2.0', trustPolicies: [{ ...statement, trustedIdentities: [] }] }));
    await writeFile(join(dir, 'syntax.json'), '{\n  "version": "1.0",\n  "trustPolicies": [\n    {"name": "a",}\n  ]\n}\n');
    await writeFile(join(dir, 'upper.json'), JSON.stringify({ version: '1.0', trustPolicies: [{ ...statement, registryScopes: ['R.IO/Upper'] }] }));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('--version prints the version of package.json; --help lists the commands and exit codes; no command is a usage error', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const word of ['verify [options] <reference>', 'pin [options] [files...]', 'policy validate <file>', 'Exit codes: 0 verified']) expect(help.stdout).toContain(word);
    expect((await run([])).code).toBe(2);
    expect((await run(['nope'])).code).toBe(2);
    const pinHelp = await run(['pin', '--help']);
    expect([pinHelp.code, pinHelp.stdout.includes('--check')]).toEqual([0, true]);
  });

  it('a missing trust store exits 2 naming the flag (or setting) and the path, before anything is verified', async () => {
    const missing = join(dir, 'no-such-store');
    const byFlag = await run(['verify', '127.0.0.1:1/app:v1', '--trust-policy', policy, '--trust-store', missing]);
    expect(byFlag).toEqual({ code: 2, stdout: '', stderr: `trustgate: trust store (--trust-store): not found: ${missing}\n` });
    const bySetting = await run(['verify', '127.0.0.1:1/app:v1'], { TRUSTGATE_TRUST_POLICY: policy, TRUSTGATE_TRUST_STORE: missing });
    expect([bySetting.code, bySetting.stderr]).toEqual([2, `trustgate: trust store (TRUSTGATE_TRUST_STORE): not found: ${missing}\n`]);
    const named = await run(['verify', '127.0.0.1:1/app:v1', '--trust-policy', join(dir, 'other-store.json'), '--trust-store', store]);
    expect([named.code, named.stderr]).toEqual([2, `trustgate: TRUSTGATE_TRUST_STORE: trust store ca:absent does not exist (${join(store, 'x509', 'ca', 'absent')})\n`]);
    const policyMissing = await run(['verify', '127.0.0.1:1/app:v1', '--trust-policy', join(dir, 'nope.json'), '--trust-store', store]);
    expect([policyMissing.code, policyMissing.stderr]).toEqual([2, `trustgate: trust policy (--trust-policy): not found: ${join(dir, 'nope.json')}\n`]);
  });

  it('trust policy problems are printed once each', async () => {
    const result = await run(['verify', '127.0.0.1:1/app:v1', '--trust-policy', join(dir, 'invalid.json'), '--trust-store', store]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^trustgate: TRUSTGATE_TRUST_POLICY: OCI trust policy is invalid:$/);
    expect(lines.slice(1).every((line) => line.startsWith('  - '))).toBe(true);
    expect(new Set(lines).size).toBe(lines.length);
    expect(result.stderr.match(/version "2.0"/g)).toHaveLength(1);
  });

  it('policy validate gives line and column for JSON syntax errors, says repositories are lowercase, and names a missing file', async () => {
    const syntax = await run(['policy', 'validate', join(dir, 'syntax.json')]);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(/syntax\.json: not valid JSON: line 4, column 18: .+ \[JSON_INVALID\]\n$/);
    expect(syntax.stdout).not.toContain('position');
    const upper = await run(['policy', 'validate', join(dir, 'upper.json')]);
    expect(upper.code).toBe(1);
    expect(upper.stdout).toContain('repository names must be lowercase: did you mean "R.IO/upper"?');
    const missing = await run(['policy', 'validate', join(dir, 'nope.json')]);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `trustgate: file not found: ${join(dir, 'nope.json')}\n` });
    expect((await run(['policy', 'validate', policy])).stdout).toBe(`${policy}: valid trust policy\n`);
  });
});
