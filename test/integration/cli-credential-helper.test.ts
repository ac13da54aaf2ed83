import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run.js';
import { fixedClock } from '../../shared/core/index.js';
import { createCredentialHelpers, type CredentialHelpers } from '../helpers/credential-helper.js';
import { dockerRegistryAvailable, startDockerRegistry, type DockerRegistry } from '../helpers/docker-registry.js';
import { pushRandomImage, pushReferrersIndex, pushSignature, type PushTarget } from '../helpers/oci-push.js';
import { createChain, PKI_NOW } from '../helpers/pki/index.js';
import { signJws } from '../helpers/signer/index.js';

/** The CLI reaches a password-protected docker-registry with credentials from a real credential helper executable. */
describe.skipIf(!dockerRegistryAvailable({ needHtpasswd: true }))('trustgate with Docker credential helpers (real docker-registry, htpasswd)', () => {
  let registry: DockerRegistry;
  let helpers: CredentialHelpers;
  let restorePath: () => void;
  let dir: string;
  let reference: string;
  let flags: string[];

  beforeAll(async () => {
    registry = await startDockerRegistry({ auth: 'htpasswd' });
    const credentials = registry.credentials as { username: string; password: string };
    const target: PushTarget = { baseUrl: registry.url, credentials };
    const chain = createChain({ prefix: 'Helper' });
    const image = await pushRandomImage(target, 'team/app', { tag: 'v1' });
    const envelope = signJws({ descriptor: image, chain: chain.ders, privateKey: chain.leaf.privateKey });
    await pushReferrersIndex(target, 'team/app', image, [await pushSignature(target, 'team/app', image, envelope, 'application/jose+json')]);
    reference = `${registry.host}/team/app:v1`;

    dir = await mkdtemp(join(tmpdir(), 'trustgate-cli-helper-'));
    await mkdir(join(dir, 'store', 'x509', 'ca', 'helper'), { recursive: true });
    await writeFile(join(dir, 'store', 'x509', 'ca', 'helper', 'root.pem'), chain.root.pem);
    const statement = { name: 'app', registryScopes: [`${registry.host}/team/app`], signatureVerification: { level: 'strict' }, trustStores: ['ca:helper'], trustedIdentities: ['*'] };
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ version: '1.0', trustPolicies: [statement] }));
    flags = ['--trust-policy', join(dir, 'policy.json'), '--trust-store', join(dir, 'store'), '--plain-http'];

    helpers = await createCredentialHelpers({
      store: { [registry.host]: { kind: 'credentials', username: credentials.username, secret: credentials.password } },
      broken: { [registry.host]: { kind: 'fail', stderr: `password is ${credentials.password}` } },
    });
    restorePath = helpers.onPath();
  });
  afterAll(async () => {
    restorePath?.();
    await helpers?.stop();
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const withDockerConfig = async (name: string, content: string) => {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, 'config.json'), content);
    return join(dir, name);
  };
  const run = async (args: string[], dockerConfigDir: string, stdin?: string) => {
    let stdout = '';
    let stderr = '';
    const env = { DOCKER_CONFIG: dockerConfigDir };
    const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, overrides: { clock: fixedClock(PKI_NOW) }, ...(stdin === undefined ? {} : { stdin: [stdin] }) });
    return { code, stdout, stderr };
  };

  it('credsStore: the helper gives the registry credentials and the signed image verifies (exit 0)', async () => {
    const config = await withDockerConfig('store', JSON.stringify({ auths: { [registry.host]: {} }, credsStore: 'store' }));
    const result = await run(['verify', reference, ...flags], config);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('VERIFIED:');
    expect(await helpers.calls('store')).toContain(registry.host);
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: ${reference}}]\n`;
    const pin = await run(['pin', ...flags], config, pod);
    expect(pin.code).toBe(0);
    expect(pin.stdout).toMatch(new RegExp(`image: ${reference.replace(/[.]/g, '\\.')}@sha256:[a-f0-9]{64}}`));
  });

  it('without credentials the answer is inconclusive (exit 3), not a deny', async () => {
    const result = await run(['verify', reference, ...flags], await withDockerConfig('none', '{}'));
    expect(result.code).toBe(3);
  });

  it('a failing credHelpers helper is a configuration error (exit 2) naming helper and file, never what it printed', async () => {
    const config = await withDockerConfig('broken', JSON.stringify({ credsStore: 'store', credHelpers: { [registry.host]: 'broken' } }));
    const result = await run(['verify', reference, ...flags], config);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot use Docker config ${join(config, 'config.json')}: credential helper docker-credential-broken failed (exit code 3)`);
    expect(result.stderr + result.stdout).not.toContain((registry.credentials as { password: string }).password);
  });

  it('a malformed config.json is a configuration error (exit 2) naming the file', async () => {
    const config = await withDockerConfig('malformed', '{"auths": {');
    const result = await run(['verify', reference, ...flags], config);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot use Docker config ${join(config, 'config.json')}: not valid JSON`);
  });
});
