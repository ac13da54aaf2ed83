import { createHash, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CRLDistributionPoints,
  DistributionPoint, DistributionPointName, ExtendedKeyUsage, Extension, FreshestCRL, GeneralName, KeyUsage, KeyUsageFlags,
  SubjectKeyIdentifier, SubjectPublicKeyInfo, id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage, id_ce_freshestCRL, id_ce_keyUsage, id_ce_subjectKeyIdentifier, id_pe_authorityInfoAccess,
} from '@peculiar/asn1-x509';

/** Extended key usage OIDs the tests use (RFC 5280 §4.2.1.12). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  any: '2.5.29.37.0',
} as const;

export type KeyUsageBit = keyof typeof KeyUsageFlags;

/** basicConstraints as the tests describe it; `critical` defaults to true. */
export interface BasicConstraintsSpec {
  ca: boolean;
  pathLen?: number;
  critical?: boolean;
}

/** keyUsage; `critical` defaults to true. */
export interface KeyUsageSpec {
  bits: KeyUsageBit[];
  critical?: boolean;
}

/** extendedKeyUsage; `critical` defaults to false. */
export interface EkuSpec {
  oids: string[];
  critical?: boolean;
}

/** Any other extension, already DER-encoded. */
export interface RawExtension {
  oid: string;
  critical?: boolean;
  value: Uint8Array;
}

export function extension(oid: string, critical: boolean, value: unknown): Extension {
  const der = value instanceof Uint8Array ? value : new Uint8Array(AsnConvert.serialize(value));
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(der) });
}

export function basicConstraintsExt(spec: BasicConstraintsSpec): Extension {
  const value = new BasicConstraints({ cA: spec.ca, ...(spec.pathLen === undefined ? {} : { pathLenConstraint: spec.pathLen }) });
  return extension(id_ce_basicConstraints, spec.critical ?? true, value);
}

export function keyUsageExt(spec: KeyUsageSpec): Extension {
  const flags = spec.bits.reduce((all, bit) => all | KeyUsageFlags[bit], 0);
  return extension(id_ce_keyUsage, spec.critical ?? true, new KeyUsage(flags));
}

export function ekuExt(spec: EkuSpec): Extension {
  return extension(id_ce_extKeyUsage, spec.critical ?? false, new ExtendedKeyUsage(spec.oids));
}

function uri(url: string): GeneralName {
  return new GeneralName({ uniformResourceIdentifier: url });
}

export function ocspExt(urls: string[]): Extension {
  const access = urls.map((url) => new AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.1', accessLocation: uri(url) }));
  return extension(id_pe_authorityInfoAccess, false, new AuthorityInfoAccessSyntax(access));
}

function distributionPoints(urls: string[]): DistributionPoint[] {
  return urls.map((url) => new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [uri(url)] }) }));
}

export function crlExt(urls: string[]): Extension {
  return extension(id_ce_cRLDistributionPoints, false, new CRLDistributionPoints(distributionPoints(urls)));
}

export function freshestCrlExt(urls: string[]): Extension {
  return extension(id_ce_freshestCRL, false, new FreshestCRL(distributionPoints(urls)));
}

/** RFC 5280 method 1 key identifier: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
  return createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest();
}

export function skiExt(publicKey: KeyObject): Extension {
  return extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(publicKey)));
}

export function akiExt(issuerKey: KeyObject): Extension {
  return extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new OctetString(keyIdentifier(issuerKey)) }));
}
