import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerConfigCredentials } from '../../../shared/oci/index.js';
import { runHelper } from '../../../shared/oci/auth/credential-helper.js';
import { createCredentialHelpers, type CredentialHelpers } from '../../helpers/credential-helper.js';
import { expectAppError } from '../../helpers/expect-error.js';

describe('Docker credential helpers (credsStore, credHelpers)', () => {
  let helpers: CredentialHelpers;
  let restorePath: () => void;
  let dir: string;

  beforeAll(async () => {
    helpers = await createCredentialHelpers({
      store: {
        'basic.example': { kind: 'credentials', username: 'alice', secret: 's3cret' },
        'token.example:5000': { kind: 'credentials', username: '<token>', secret: 'refresh-abc' },
        'https://index.docker.io/v1/': { kind: 'credentials', username: 'hub', secret: 'hub-pass' },
        'broken.example': { kind: 'fail', stderr: 'boom: leaked-secret-value' },
        'garbage.example': { kind: 'garbage' },
        'hang.example': { kind: 'hang' },
        'flood.example': { kind: 'flood' },
      },
      special: { 'special.example': { kind: 'credentials', username: 'bob', secret: 'special-pass' } },
    });
    restorePath = helpers.onPath();
    dir = await mkdtemp(join(tmpdir(), 'trustgate-docker-config-'));
  });
  afterAll(async () => {
    restorePath?.();
    await helpers?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function config(content: unknown): Promise<string> {
    const path = join(dir, `config-${Math.random()}.json`);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  it('asks credsStore for every registry (Docker Hub as https://index.docker.io/v1/), credHelpers first, each registry once', async () => {
    const provider = dockerConfigCredentials(await config({ credsStore: 'store', credHelpers: { 'https://special.example/': 'special' }, auths: { 'unknown.example': { auth: Buffer.from('a:b').toString('base64') } } }));
    expect(await provider('basic.example')).toEqual({ kind: 'basic', username: 'alice', password: 's3cret' });
    expect(await provider('basic.example')).toEqual({ kind: 'basic', username: 'alice', password: 's3cret' });
    expect(await provider('token.example:5000')).toEqual({ kind: 'refresh-token', refreshToken: 'refresh-abc' });
    expect(await provider('docker.io')).toEqual({ kind: 'basic', username: 'hub', password: 'hub-pass' });
    expect(await provider('special.example')).toEqual({ kind: 'basic', username: 'bob', password: 'special-pass' });
    // "not found" in the helper is anonymous, as for Docker (an auths entry, if any, still applies)
    expect(await provider('nothing.example')).toBeUndefined();
    expect(await provider('unknown.example')).toEqual({ kind: 'basic', username: 'a', password: 'b' });
    const calls = await helpers.calls('store');
    expect(calls.filter((c) => c === 'basic.example')).toHaveLength(1);
    expect(calls).not.toContain('special.example');
    expect(await helpers.calls('special')).toEqual(['special.example']);
  });

  it.each([
    ['exits non-zero', 'broken.example', /docker-credential-store failed \(exit code 3\)/],
    ['prints something that is not the JSON answer', 'garbage.example', /docker-credential-store printed no/],
  ])('a helper that %s is a configuration error naming the helper and file, never its output', async (_why, registry, message) => {
    const path = await config({ credsStore: 'store' });
    const error = await expectAppError(dockerConfigCredentials(path)(registry), 'ERR_CREDENTIALS', 'config');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(path);
    expect(error.message).not.toContain('leaked-secret-value');
  });

  it('kills a helper that hangs or floods stdout', async () => {
    const path = join(dir, 'config.json');
    await expectAppError(runHelper('store', 'hang.example', path, { timeoutMs: 300 }), 'ERR_CREDENTIALS', 'config');
    const flood = await expectAppError(runHelper('store', 'flood.example', path, { maxOutputBytes: 4096 }), 'ERR_CREDENTIALS', 'config');
    expect(flood.message).toContain('more than 4096 bytes');
  });

  it.each([
    ['a helper missing from PATH', { credsStore: 'not-installed' }, /docker-credential-not-installed is not on the PATH/],
    ['a helper name with a path in it', { credsStore: '../../bin/sh' }, /"credsStore" is not a credential helper name/],
    ['credHelpers that is not an object', { credHelpers: ['store'] }, /"credHelpers" is not an object/],
    ['a document that is not an object', '[1, 2]', /not a JSON object/],
    ['a document that is not JSON', '{"auths": ', /not valid JSON/],
  ])('%s is a configuration error', async (_why, content, message) => {
    const path = await config(content);
    const error = await expectAppError(dockerConfigCredentials(path)('basic.example'), 'ERR_CREDENTIALS', 'config');
    expect(error.message).toMatch(message);
  });
});
