import { describe, expect, it } from 'vitest';
import { certificatesFromSecret } from '../../../shared/truststore/keyvault-certs.js';
import { TrustStoreError } from '../../../shared/truststore/errors.js';
import { createChain } from '../../helpers/pki/index.js';
import { buildPfx } from '../../fakes/keyvault/pfx.js';
import { expectAppError } from '../../helpers/expect-error.js';

const chain = createChain({ prefix: 'KVC', keyType: 'ec-p256' });

describe('certificatesFromSecret', () => {
  it('reads every certificate of a PEM secret in order and skips the private key block', () => {
    const pem = chain.leaf.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() + chain.certs.map((c) => c.pem).join('');
    expect(certificatesFromSecret(pem, 'application/x-pem-file').map((c) => c.raw)).toEqual(chain.ders);
  });

  it('reads the certificate bags of an unencrypted PFX', () => {
    const pfx = buildPfx(chain.ders, chain.leaf.privateKey).toString('base64');
    expect(certificatesFromSecret(pfx, 'application/x-pkcs12').map((c) => c.raw)).toEqual(chain.ders);
    expect(certificatesFromSecret(pfx, undefined).map((c) => c.raw)).toEqual(chain.ders);
  });

  it.each([
    ['text with no certificate', 'hello', 'application/x-pem-file'],
    ['a broken PEM certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'application/x-pem-file'],
    ['bytes that are not a PFX', Buffer.from('not a pfx').toString('base64'), 'application/x-pkcs12'],
    ['a PFX with no certificate', buildPfx([], chain.leaf.privateKey).toString('base64'), 'application/x-pkcs12'],
  ])('rejects %s', async (_what, value, contentType) => {
    const error = await expectAppError(() => certificatesFromSecret(value, contentType), 'ERR_TRUST_STORE_UNREADABLE', 'config');
    expect(error).toBeInstanceOf(TrustStoreError);
  });
});
