import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/run.js';
import { createServices, loadSettings } from '../../../shared/config/index.js';
import { silentLogger } from '../../../shared/core/index.js';
import { issuedBy, selfSigned, type Issued } from '../../unit/truststore/pki.js';

const policy = (stores: string[]) =>
  JSON.stringify({
    version: '1.0',
    trustPolicies: [{ name: 'p', registryScopes: ['*'], signatureVerification: { level: 'strict' }, trustStores: stores, trustedIdentities: ['*'] }],
  });

let ca: Issued;
let leaf: Issued;
beforeAll(async () => {
  ca = await selfSigned('CN=Startup Root', { ca: true });
  leaf = await issuedBy(ca, 'CN=Startup Leaf', { ca: false });
});

/** A store root with x509/ca/acme/root.crt; `arrange` breaks it the way operators do. */
async function storeRoot(arrange: (root: string) => Promise<void> = async () => undefined): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tg-store-'));
  await mkdir(join(root, 'x509', 'ca', 'acme'), { recursive: true });
  await writeFile(join(root, 'x509', 'ca', 'acme', 'root.crt'), ca.pem);
  await arrange(root);
  return root;
}

async function startupError(env: Record<string, string>): Promise<{ message: string; setting: unknown; problems: Array<{ setting: string; message: string; path?: string }> }> {
  try {
    await createServices(loadSettings(env), { logger: silentLogger });
  } catch (error) {
    const e = error as Error & { details?: Record<string, unknown>; problems?: Array<{ setting: string; message: string; path?: string }> };
    return { message: e.message, setting: e.details?.['setting'], problems: e.problems ?? [] };
  }
  throw new Error('start-up succeeded');
}

const store = 'x509/ca/acme';

describe('start-up validation of the trust stores the policy names', () => {
  it('accepts a store with a CA certificate', async () => {
    const root = await storeRoot();
    const services = await createServices(loadSettings({ TRUSTGATE_TRUST_POLICY: policy(['ca:acme']), TRUSTGATE_TRUST_STORE: root }), { logger: silentLogger });
    expect(services.policy.trustPolicies).toHaveLength(1);
  });

  it.each<[string, (root: string) => Promise<void>, string]>([
    ['a missing store root', async (root) => rm(root, { recursive: true }), 'does not exist'],
    ['a symlinked store root', async () => undefined, 'symbolic link'],
    ['a store the policy names that does not exist', async (root) => rm(join(root, store), { recursive: true }), 'does not exist'],
    ['a stray README.txt in a store', async (root) => writeFile(join(root, store, 'README.txt'), 'hello'), 'README.txt is not a certificate file'],
    ['a symlinked certificate file', async (root) => symlink(join(root, store, 'root.crt'), join(root, store, 'link.crt')), 'symbolic link'],
    ['a directory inside a store', async (root) => mkdir(join(root, store, 'nested')), 'sub-directory'],
    ['a FIFO inside a store', async (root) => void execFileSync('mkfifo', [join(root, store, 'pipe.crt')]), 'not a regular file'],
    ['a symlinked named store', async (root) => {
      await mkdir(join(root, 'real'));
      await writeFile(join(root, 'real', 'root.crt'), ca.pem);
      await rm(join(root, store), { recursive: true });
      await symlink(join(root, 'real'), join(root, store));
    }, 'symbolic link'],
    ['a stray file among the named stores', async (root) => writeFile(join(root, 'x509', 'ca', 'notes.txt'), 'x'), 'not a directory'],
    ['a leaf (not a CA) in a ca store', async (root) => writeFile(join(root, store, 'root.crt'), leaf.pem), 'neither a CA nor a self-signed'],
  ])('stops start-up for %s, naming TRUSTGATE_TRUST_STORE and the path', async (why, arrange, expected) => {
    let root = await storeRoot(arrange);
    if (why === 'a symlinked store root') {
      const link = `${root}-link`;
      await symlink(root, link);
      root = link;
    }
    const error = await startupError({ TRUSTGATE_TRUST_POLICY: policy(['ca:acme']), TRUSTGATE_TRUST_STORE: root });
    expect(error.setting).toBe('TRUSTGATE_TRUST_STORE');
    const all = error.problems.map((p) => `${p.message} ${p.path ?? ''}`).join('\n');
    expect(all).toContain(expected);
    expect(error.problems.every((p) => p.setting === 'TRUSTGATE_TRUST_STORE' && p.path?.startsWith(root))).toBe(true);
    expect(all).not.toContain('BEGIN CERTIFICATE');
  });

  it('the CLI exits 2 (configuration), not 1 (not verified), for a missing trust store, naming the path', async () => {
    const root = await storeRoot();
    const policyFile = join(root, 'policy.json');
    await writeFile(policyFile, policy(['ca:acme']));
    const errors: string[] = [];
    const code = await runCli(['verify', 'registry.example/app@sha256:' + 'a'.repeat(64), '--trust-policy', policyFile, '--trust-store', join(root, 'nope')], {
      stdout: () => undefined,
      stderr: (text) => void errors.push(text),
      env: {},
    });
    expect(code).toBe(2);
    expect(errors.join('')).toContain(join(root, 'nope'));
  });

  it('an inline store the policy names must exist too', async () => {
    const error = await startupError({ TRUSTGATE_TRUST_POLICY: policy(['ca:other']), TRUSTGATE_TRUST_STORE_INLINE: JSON.stringify({ 'ca:acme': ca.pem }) });
    expect(error.setting).toBe('TRUSTGATE_TRUST_STORE_INLINE');
    expect(error.message).toContain('ca:other');
  });
});

describe('setting values are never echoed', () => {
  it.each([
    ['TRUSTGATE_ALLOWED_REGISTRIES', 'https://user:hunter2secret@registry.example'],
    ['TRUSTGATE_TABLE_ENDPOINT', 'not a url hunter2secret'],
    ['TRUSTGATE_MAX_SIGNATURES', 'hunter2secret'],
    ['TRUSTGATE_ADMISSION_MODE', 'hunter2secret'],
    ['TRUSTGATE_TRUST_STORE_INLINE', '{hunter2secret'],
    ['TRUSTGATE_KEYVAULT_STORES', '{hunter2secret'],
  ])('%s: the error names the setting, not the value', (setting, value) => {
    let caught: (Error & { problems?: unknown; details?: Record<string, unknown> }) | undefined;
    try {
      loadSettings({ TRUSTGATE_TRUST_POLICY: 'p.json', TRUSTGATE_KEYVAULT_URL: 'https://vault.example', [setting]: value });
    } catch (error) {
      caught = error as typeof caught;
    }
    expect(caught?.details?.['setting']).toBe(setting);
    expect(JSON.stringify({ message: caught?.message, problems: caught?.problems, cause: String(caught?.cause ?? '') })).not.toContain('hunter2secret');
  });

  it('reports every broken setting at once, each with its group', () => {
    let caught: (Error & { problems?: Array<{ setting: string }> }) | undefined;
    try {
      loadSettings({ TRUSTGATE_TRUST_POLICY: 'p.json', TRUSTGATE_MAX_SIGNATURES: 'x', TRUSTGATE_RECHECK_SCHEDULE: 'every 5 minutes', TRUSTGATE_ADMISSION_MODE: 'x' });
    } catch (error) {
      caught = error as typeof caught;
    }
    expect(caught?.problems?.map((p) => p.setting).sort()).toEqual(['TRUSTGATE_ADMISSION_MODE', 'TRUSTGATE_MAX_SIGNATURES', 'TRUSTGATE_RECHECK_SCHEDULE']);
  });
});
