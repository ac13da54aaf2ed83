import { AsnConvert } from '@peculiar/asn1-schema';
import type { Name } from '@peculiar/asn1-x509';
import { GO_ATTRIBUTE_NAMES, type SubjectAttributeName } from './constants.js';

/** One attribute of a distinguished name, in certificate order. */
export interface SubjectAttribute {
  /** Dotted attribute type OID, e.g. '2.5.4.3'. */
  oid: string;
  /** The short name Go's pkix.Name.String() prints; absent for attributes it prints as `oid=#hex` (spec §9). */
  name?: SubjectAttributeName;
  /** The string value; for non-string ASN.1 types, '#' + hex of the DER value (RFC 4514 §2.4). */
  value: string;
  /** Index of the RDN holding it: two attributes with the same index form a multi-valued RDN. */
  rdnIndex: number;
}

/** RFC 4514 keywords for rendering (a superset of Go's short names). */
const RFC4514_KEYWORDS: Readonly<Record<string, string>> = { ...GO_ATTRIBUTE_NAMES, '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID' };

/** The attributes of a Name in encounter order, with Go's short names (spec §9). */
export function nameAttributes(name: Name): SubjectAttribute[] {
  const out: SubjectAttribute[] = [];
  name.forEach((rdn, rdnIndex) => {
    for (const atv of rdn) {
      const short = GO_ATTRIBUTE_NAMES[atv.type];
      out.push({ oid: atv.type, ...(short ? { name: short } : {}), value: attributeValueText(atv.value), rdnIndex });
    }
  });
  return out;
}

function attributeValueText(value: Name[number][number]['value']): string {
  const text = value.printableString ?? value.utf8String ?? value.teletexString ?? value.bmpString ?? value.universalString ?? value.ia5String;
  if (text !== undefined) return text;
  const der = value.anyValue ? new Uint8Array(value.anyValue) : new Uint8Array(AsnConvert.serialize(value));
  return `#${Buffer.from(der).toString('hex')}`;
}

/** RFC 4514 text of a Name: RDNs last-to-first, `+` inside multi-valued RDNs, special characters escaped. */
export function nameToString(name: Name): string {
  const attributes = nameAttributes(name);
  const rdns: string[][] = [];
  for (const attribute of attributes) {
    const type = RFC4514_KEYWORDS[attribute.oid] ?? attribute.oid;
    const value = attribute.value.startsWith('#') && !RFC4514_KEYWORDS[attribute.oid] ? attribute.value : escapeValue(attribute.value);
    (rdns[attribute.rdnIndex] ??= []).push(`${type}=${value}`);
  }
  return rdns.filter(Boolean).reverse().map((rdn) => rdn.join('+')).join(',');
}

function escapeValue(value: string): string {
  let out = value.replace(/[\\",+;<>=]/g, (c) => `\\${c}`);
  out = out.replace(/^[ #]/, (c) => `\\${c}`).replace(/ $/, '\\ ');
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\u0000-\u001f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
