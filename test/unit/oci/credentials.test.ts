import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerConfigCredentials, staticCredentials } from '../../../shared/oci/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('dockerConfigCredentials', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustgate-docker-config-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function configWith(content: string): Promise<string> {
    const path = join(dir, `config-${Math.random()}.json`);
    await writeFile(path, content);
    return path;
  }

  it('reads base64 auth, username/password and identitytoken entries, normalising keys', async () => {
    const path = await configWith(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: b64('hub-user:hub:pass') },
          'myacr.azurecr.io': { identitytoken: 'refresh-123' },
          'https://Registry.Example:5000/v2/': { username: 'u', password: 'p' },
          'empty.example': {},
        },
      }),
    );
    const provider = dockerConfigCredentials(path);
    expect(await provider('docker.io')).toEqual({ kind: 'basic', username: 'hub-user', password: 'hub:pass' });
    expect(await provider('myacr.azurecr.io')).toEqual({ kind: 'refresh-token', refreshToken: 'refresh-123' });
    expect(await provider('registry.example:5000')).toEqual({ kind: 'basic', username: 'u', password: 'p' });
    expect(await provider('empty.example')).toBeUndefined();
    expect(await provider('ghcr.io')).toBeUndefined();
  });

  it('treats a missing file as no credentials', async () => {
    expect(await dockerConfigCredentials(join(dir, 'nope.json'))('docker.io')).toBeUndefined();
  });

  it.each([
    ['not json', '{auths:'],
    ['auths not an object', '{"auths": 5}'],
    ['entry not an object', '{"auths": {"x.io": "user:pass"}}'],
    ['auth without colon', `{"auths": {"x.io": {"auth": "${b64('nocolon')}"}}}`],
  ])('refuses a config whose %s (ERR_CREDENTIALS)', async (_why, content) => {
    const provider = dockerConfigCredentials(await configWith(content));
    await expectAppError(provider('x.io'), 'ERR_CREDENTIALS', 'config');
  });
});

describe('staticCredentials', () => {
  it('looks registries up case-insensitively, with docker.io aliases', async () => {
    const provider = staticCredentials({ 'https://index.docker.io/v1/': { kind: 'basic', username: 'a', password: 'b' }, 'R.example': { kind: 'refresh-token', refreshToken: 't' } });
    expect(await provider('docker.io')).toEqual({ kind: 'basic', username: 'a', password: 'b' });
    expect(await provider('r.example')).toEqual({ kind: 'refresh-token', refreshToken: 't' });
    expect(await provider('other.example')).toBeUndefined();
  });
});
