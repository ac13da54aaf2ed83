import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name as AsnName } from '@peculiar/asn1-x509';
import { Name } from '@peculiar/x509';

/**
 * An X.509 Name from RFC 4514-style text ("CN=leaf, O=acme, C=US"; `+` makes a multi-valued RDN,
 * dotted OIDs and `E`/`emailAddress`-style keywords are accepted). RDNs are encoded in the order written.
 */
export function toAsnName(dn: string): AsnName {
  return AsnConvert.parse(new Name(dn).toArrayBuffer(), AsnName);
}

/** DER bytes of a Name (handy to compare with a certificate's issuer/subject bytes). */
export function nameDer(dn: string): Buffer {
  return Buffer.from(new Name(dn).toArrayBuffer());
}
