import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, silentLogger } from '../../../shared/core/index.js';
import { cosignScheme } from '../../../shared/cosign/index.js';
import type { SchemeDeps } from '../../../shared/scheme/index.js';
import { createSigstoreWorld } from '../../helpers/cosign/sigstore-world.js';

const pemOf = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('cosign trust fingerprint', () => {
  let dir: string;
  let deps: SchemeDeps;
  const identities = [{ issuer: 'https://issuer.example', subject: 'me@example.com' }];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trustgate-cosign-fp-'));
    deps = { clock: fixedClock(new Date('2026-11-30T00:00:00Z')), logger: silentLogger, fetch: () => Promise.reject(new Error('offline')), baseDir: dir };
    const at = new Date(Date.now() + 60_000);
    await writeFile(join(dir, 'root-a.json'), (await createSigstoreWorld(at)).trustedRootJson);
    await writeFile(join(dir, 'root-b.json'), (await createSigstoreWorld(at)).trustedRootJson);
  });
  afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

  const fingerprint = async (config: unknown) => (await cosignScheme.create(config, deps)).fingerprint();
  const keyless = (file: string, extra: object = {}) => ({ keyless: { trustedRoot: { file }, identities, ...extra } });

  it('is stable for the same material however the configuration is ordered or written', async () => {
    const key = pemOf();
    await writeFile(join(dir, 'k.pub'), key);
    const a = await fingerprint({ trustRoots: { k: { publicKey: key }, g: keyless('root-a.json') } });
    const b = await fingerprint({ trustRoots: { g: keyless('root-a.json'), k: { publicKey: { file: 'k.pub' } } } });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it.each([
    ['the key changes', { k: { publicKey: pemOf() } }, { k: { publicKey: pemOf() } }],
    ['the trusted root changes', { g: keyless('root-a.json') }, { g: keyless('root-b.json') }],
    ['an identity changes', { g: keyless('root-a.json') }, { g: { keyless: { trustedRoot: { file: 'root-a.json' }, identities: [{ ...identities[0], subject: 'you@example.com' }] } } }],
    ['a threshold changes', { g: keyless('root-a.json') }, { g: keyless('root-a.json', { ctlog: { threshold: 1 } }) }],
    ['a root is renamed', { g: keyless('root-a.json') }, { h: keyless('root-a.json') }],
  ])('changes when %s', async (_name, before, after) => {
    expect(await fingerprint({ trustRoots: before })).not.toBe(await fingerprint({ trustRoots: after }));
  });
});
