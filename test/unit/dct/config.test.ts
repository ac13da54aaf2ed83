import { describe, expect, it } from 'vitest';
import { DCT_CODES, parseDctConfig } from '../../../shared/dct/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { createDct } from '../../helpers/notary-scheme.js';
import { createCertificate, keyFor } from '../../helpers/pki/index.js';

describe('dct configuration', () => {
  it('lists every problem by path in one ERR_DCT_CONFIG', async () => {
    const error = await expectAppError(
      () => parseDctConfig({ trustRoots: { a: { rootKeys: [], server: 'http://notary.example' }, b: { rootKeys: ['nope'], requiredRoles: ['releases'] } }, extra: 1 }),
      DCT_CODES.config,
      'config',
    );
    const issues = error.details?.issues as string[];
    expect(issues.some((i) => i.startsWith('trustRoots.a.rootKeys'))).toBe(true);
    expect(issues.some((i) => i.startsWith('trustRoots.a.server'))).toBe(true);
    expect(issues.some((i) => i.startsWith('trustRoots.b.rootKeys.0'))).toBe(true);
    expect(issues.some((i) => i.startsWith('trustRoots.b.requiredRoles.0'))).toBe(true);
    expect(issues.some((i) => i.includes('extra'))).toBe(true);
  });

  it('refuses a threshold above the key count and unparsable key material', async () => {
    const error = await expectAppError(() => parseDctConfig({ trustRoots: { a: { rootKeys: ['-----BEGIN CERTIFICATE-----\nbad\n-----END CERTIFICATE-----'], rootThreshold: 2 } } }), DCT_CODES.config);
    expect((error.details?.issues as string[]).length).toBe(2);
  });

  it('accepts key ids, TUF keys and PEM certificates; defaults the trust server to the registry (Docker Hub: notary.docker.io)', async () => {
    const pem = createCertificate({ name: 'CN=root', key: keyFor('ec-p256', 'dct-config') }).pem;
    const config = parseDctConfig({ trustRoots: { a: { rootKeys: ['ab'.repeat(32), pem, { keytype: 'ed25519', keyval: { public: Buffer.alloc(32, 1).toString('base64') } }] } } });
    // id; certificate id + bare key id; ed25519 (its id is its canonical id).
    expect(config.trustRoots[0]?.pinned.ids.size).toBe(4);
    expect(config.servers['docker.io']).toBe('https://notary.docker.io');
    const scheme = await createDct({ trustRoots: { a: { rootKeys: ['ab'.repeat(32)] } } });
    const same = await createDct({ trustRoots: { a: { rootKeys: ['ab'.repeat(32)] } } });
    const different = await createDct({ trustRoots: { a: { rootKeys: ['cd'.repeat(32)] } } });
    expect(await scheme.fingerprint()).toBe(await same.fingerprint());
    expect(await scheme.fingerprint()).not.toBe(await different.fingerprint());
    expect(scheme.trustRootNames()).toEqual(['a']);
  });
});
