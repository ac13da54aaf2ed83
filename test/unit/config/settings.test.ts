import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLocalSettings, loadSettings } from '../../../shared/config/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const base = { TRUSTGATE_TRUST_POLICY: 'policy.json', TRUSTGATE_TRUST_STORE: 'store' };

describe('loadSettings', () => {
  it('applies defaults', () => {
    const settings = loadSettings(base);
    expect(settings).toMatchObject({
      trustPolicy: { kind: 'file', path: 'policy.json' },
      trustStoreDir: 'store',
      plainHttpRegistries: [],
      allowedRegistries: undefined,
      port: 7071,
      maxSignatures: 50,
      tagCacheSeconds: 30,
    });
  });

  it('reads inline policy JSON and host lists', () => {
    const settings = loadSettings({ ...base, TRUSTGATE_TRUST_POLICY: '{"version":"1.0"}', TRUSTGATE_PLAIN_HTTP: 'Localhost:5000, 127.0.0.1:5001,[::1]:5002' });
    expect(settings.trustPolicy).toEqual({ kind: 'inline', json: '{"version":"1.0"}' });
    expect(settings.plainHttpRegistries).toEqual(['localhost:5000', '127.0.0.1:5001', '[::1]:5002']);
  });

  it.each([
    [{ TRUSTGATE_TRUST_POLICY: '' }, 'TRUSTGATE_TRUST_POLICY'],
    [{ ...base, TRUSTGATE_PORT: '70000' }, 'TRUSTGATE_PORT'],
    [{ ...base, TRUSTGATE_MAX_SIGNATURES: 'many' }, 'TRUSTGATE_MAX_SIGNATURES'],
    [{ ...base, TRUSTGATE_PLAIN_HTTP: 'http://x' }, 'TRUSTGATE_PLAIN_HTTP'],
    [{ ...base, TRUSTGATE_LOG_LEVEL: 'loud' }, 'TRUSTGATE_LOG_LEVEL'],
    [{ ...base, TRUSTGATE_TRUST_STORE_INLINE: '{"ca:x": 1}' }, 'TRUSTGATE_TRUST_STORE_INLINE'],
    [{ ...base, TRUSTGATE_TRUST_STORE_INLINE: 'nope' }, 'TRUSTGATE_TRUST_STORE_INLINE'],
  ])('names the wrong setting %#', async (env, setting) => {
    const error = await expectAppError(() => loadSettings(env), 'ERR_CONFIG', 'config');
    expect(error.details?.['setting']).toBe(setting);
  });
});

describe('loadLocalSettings', () => {
  it('fills the environment from Values without overriding it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tg-'));
    const file = join(dir, 'local.settings.json');
    await writeFile(file, JSON.stringify({ IsEncrypted: false, Values: { A: '1', B: '2' } }));
    const env: Record<string, string | undefined> = { B: 'env' };
    expect(await loadLocalSettings(file, env)).toBe(true);
    expect(env).toEqual({ A: '1', B: 'env' });
  });

  it('is fine without a file and strict about a broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tg-'));
    expect(await loadLocalSettings(join(dir, 'missing.json'), {})).toBe(false);
    const file = join(dir, 'local.settings.json');
    await writeFile(file, '{"Values": {"A": 1}}');
    await expectAppError(loadLocalSettings(file, {}), 'ERR_CONFIG');
  });
});
