import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ContentInfo, id_data } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, CertBag, KeyBag, PFX, SafeBag, SafeContents, id_certBag, id_keyBag, id_x509Certificate } from '@peculiar/asn1-pfx';
import type { KeyObject } from 'node:crypto';

/**
 * A PKCS#12 file with unencrypted bags (what `openssl pkcs12 -export -certpbe NONE -keypbe NONE` writes):
 * one key bag (so tests can check the key is ignored) and one certificate bag per DER, in order.
 */
export function buildPfx(certificates: Buffer[], privateKey?: KeyObject): Buffer {
  const bags: SafeBag[] = certificates.map((der) => new SafeBag({
    bagId: id_certBag,
    bagValue: AsnConvert.serialize(new CertBag({ certId: id_x509Certificate, certValue: AsnConvert.serialize(new OctetString(der)) })),
  }));
  if (privateKey !== undefined) {
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    bags.unshift(new SafeBag({ bagId: id_keyBag, bagValue: AsnConvert.serialize(AsnConvert.parse(pkcs8, KeyBag)) }));
  }
  const data = (bytes: ArrayBuffer) => new ContentInfo({ contentType: id_data, content: AsnConvert.serialize(new OctetString(bytes)) });
  const authSafe = new AuthenticatedSafe([data(AsnConvert.serialize(new SafeContents(bags)))]);
  return Buffer.from(AsnConvert.serialize(new PFX({ version: 3, authSafe: data(AsnConvert.serialize(authSafe)) })));
}
