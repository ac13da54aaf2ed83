import { X509Certificate } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { id_data } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, CertBag, PFX, SafeContents, id_certBag, id_x509Certificate } from '@peculiar/asn1-pfx';
import { TRUST_STORE_ERROR_CODES as CODES } from './constants.js';
import { TrustStoreError } from './errors.js';

/** Secret content types Key Vault uses for certificates (https://learn.microsoft.com/azure/key-vault/certificates/about-certificates). */
export const PEM_CONTENT_TYPE = 'application/x-pem-file';
export const PFX_CONTENT_TYPE = 'application/x-pkcs12';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/**
 * The certificates of a certificate's secret, in the order stored (leaf first for Key Vault). Only
 * certificates are read: PEM private-key blocks and PFX key bags are skipped and never kept.
 * A PFX is read when its certificate bags are unencrypted; Key Vault is asked for PEM, so it converts
 * password-protected PFX content itself.
 */
export function certificatesFromSecret(value: string, contentType: string | undefined): X509Certificate[] {
  const type = (contentType ?? '').toLowerCase();
  const ders = type === PFX_CONTENT_TYPE || (type !== PEM_CONTENT_TYPE && !value.includes('-----BEGIN'))
    ? certificatesFromPfx(Buffer.from(value, 'base64'))
    : [...value.matchAll(PEM_CERTIFICATE)].map((match) => Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64'));
  if (ders.length === 0) throw unreadable('the secret holds no certificate');
  return ders.map((der) => {
    try {
      return new X509Certificate(der);
    } catch (error) {
      throw unreadable('the secret holds a certificate that does not parse', error);
    }
  });
}

function certificatesFromPfx(der: Buffer): Buffer[] {
  try {
    const pfx = AsnConvert.parse(der, PFX);
    if (pfx.authSafe.contentType !== id_data) throw unreadable('the PFX is not password-integrity (data) protected');
    const safe = AsnConvert.parse(AsnConvert.parse(pfx.authSafe.content, OctetString), AuthenticatedSafe);
    const out: Buffer[] = [];
    for (const info of safe) {
      // Encrypted SafeContents hold the key (or certificates under a password): skipped, never decrypted here.
      if (info.contentType !== id_data) continue;
      const bags = AsnConvert.parse(AsnConvert.parse(info.content, OctetString), SafeContents);
      for (const bag of bags) {
        if (bag.bagId !== id_certBag) continue;
        const certBag = AsnConvert.parse(bag.bagValue, CertBag);
        if (certBag.certId !== id_x509Certificate) continue;
        out.push(Buffer.from(AsnConvert.parse(certBag.certValue, OctetString).buffer));
      }
    }
    return out;
  } catch (error) {
    if (error instanceof TrustStoreError) throw error;
    throw unreadable('the secret is not a PFX trustgate can read', error);
  }
}

function unreadable(message: string, cause?: unknown): TrustStoreError {
  return new TrustStoreError(CODES.unreadable, message, { cause });
}
