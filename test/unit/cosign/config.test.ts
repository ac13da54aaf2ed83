import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, silentLogger } from '../../../shared/core/index.js';
import { cosignScheme } from '../../../shared/cosign/index.js';
import type { SchemeDeps } from '../../../shared/scheme/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

describe('cosign configuration', () => {
  let deps: SchemeDeps;
  let keyPem: string;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trustgate-cosign-config-'));
    keyPem = pem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
    await writeFile(join(dir, 'cosign.pub'), keyPem);
    await writeFile(join(dir, 'not-a-root.json'), JSON.stringify({ mediaType: 'application/json' }));
    await writeFile(join(dir, 'deep.json'), '['.repeat(100) + ']'.repeat(100));
    deps = { clock: fixedClock(new Date('2026-11-30T00:00:00Z')), logger: silentLogger, fetch: () => Promise.reject(new Error('offline')), baseDir: dir };
  });

  it('accepts an inline key and a key file, and names the roots', async () => {
    const scheme = await cosignScheme.create({ trustRoots: { inline: { publicKey: keyPem }, file: { publicKey: { file: 'cosign.pub' } } } }, deps);
    expect(scheme.name).toBe('cosign');
    expect(scheme.trustRootNames()).toEqual(['inline', 'file']);
    expect(scheme.plan({ registry: 'r.example', repository: 'a/b' })).toEqual({ kind: 'verify' });
  });

  it('lists every schema problem by path in one error', async () => {
    const error = await expectAppError(
      cosignScheme.create(
        {
          trustRoots: {
            '-bad': { publicKey: keyPem },
            empty: {},
            ids: { keyless: { trustedRoot: { file: 't.json' }, identities: [{ issuer: 'i', issuerRegExp: 'j', subjectRegExp: '(' }] } },
            none: { keyless: { trustedRoot: { file: 't.json' }, identities: [] } },
            logged: { publicKey: keyPem, tlog: { threshold: 1 } },
            untimed: { keyless: { trustedRoot: { file: 't.json' }, identities: [{ issuer: 'i', subject: 's' }], timestamps: { threshold: 0 } } },
          },
          extra: true,
        },
        deps,
      ),
      'ERR_COSIGN_CONFIG',
      'config',
    );
    const problems = (error.details?.problems ?? []) as string[];
    expect(problems.some((p) => p.startsWith('trustRoots.-bad'))).toBe(true);
    expect(problems.some((p) => p.startsWith('trustRoots.empty'))).toBe(true);
    expect(problems.some((p) => p.startsWith('trustRoots.ids') && /issuerRegExp|regular expression/.test(p))).toBe(true);
    expect(problems.some((p) => p.startsWith('trustRoots.none'))).toBe(true);
    expect(problems.some((p) => p.startsWith('trustRoots.logged'))).toBe(true);
    expect(problems.some((p) => p.startsWith('trustRoots.untimed'))).toBe(true);
    expect(problems.some((p) => p.includes('extra'))).toBe(true);
  });

  it('requires at least one trust root', async () => {
    await expectAppError(cosignScheme.create({ trustRoots: {} }, deps), 'ERR_COSIGN_CONFIG');
    await expectAppError(cosignScheme.create(undefined, deps), 'ERR_COSIGN_CONFIG');
  });

  it.each([
    ['an EC key on an unsupported curve', () => pem(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey), /curve/],
    ['a 1024-bit RSA key', () => pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey), /RSA key of 1024/],
    ['a private key', () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /PEM public key/],
    ['text that is no key', () => 'hello', /PEM public key/],
  ])('refuses %s, naming the root', async (_name, key, message) => {
    const error = await expectAppError(cosignScheme.create({ trustRoots: { mine: { publicKey: key() } } }, deps), 'ERR_COSIGN_CONFIG');
    expect(error.message).toMatch(/trustRoots\.mine/);
    expect(error.message).toMatch(message);
  });

  it('loads ECDSA P-256/384/521, RSA and Ed25519 keys', async () => {
    const keys = {
      p256: pem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey),
      p384: pem(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey),
      p521: pem(generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).publicKey),
      rsa: pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey),
      ed: pem(generateKeyPairSync('ed25519').publicKey),
    };
    const scheme = await cosignScheme.create({ trustRoots: Object.fromEntries(Object.entries(keys).map(([name, publicKey]) => [name, { publicKey }])) }, deps);
    expect(scheme.trustRootNames()).toEqual(['p256', 'p384', 'p521', 'rsa', 'ed']);
  });

  it('lists every file problem (missing file, not a trusted root, too deep) by root', async () => {
    const error = await expectAppError(
      cosignScheme.create(
        {
          trustRoots: {
            missing: { publicKey: { file: 'nope.pub' } },
            wrong: { keyless: { trustedRoot: { file: 'not-a-root.json' }, identities: [{ issuer: 'i', subject: 's' }] } },
            deep: { keyless: { trustedRoot: { file: 'deep.json' }, identities: [{ issuer: 'i', subject: 's' }] } },
          },
        },
        deps,
      ),
      'ERR_COSIGN_CONFIG',
    );
    expect(error.details?.problems).toEqual([expect.stringMatching(/^trustRoots\.missing: cannot read nope\.pub: ENOENT/), expect.stringMatching(/^trustRoots\.wrong: .*not a Sigstore trusted root/), expect.stringMatching(/^trustRoots\.deep: .*nests deeper/)]);
  });
});
