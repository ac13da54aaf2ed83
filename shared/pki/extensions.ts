import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax, BasicConstraints, CRLDistributionPoints, ExtendedKeyUsage, FreshestCRL, KeyUsage, KeyUsageFlags, SubjectKeyIdentifier,
  type DistributionPoint, type Extension,
} from '@peculiar/asn1-x509';
import { OID } from './constants.js';
import { PkiError } from './errors.js';

export type KeyUsageBit = keyof typeof KeyUsageFlags;

export interface BasicConstraintsFacts {
  critical: boolean;
  ca: boolean;
  pathLen?: number;
}

export interface KeyUsageFacts {
  critical: boolean;
  bits: ReadonlySet<KeyUsageBit>;
}

export interface EkuFacts {
  critical: boolean;
  oids: readonly string[];
}

/** What the Notary rules and revocation need from a certificate's extensions (RFC 5280 §4.2). */
export interface ExtensionFacts {
  basicConstraints?: BasicConstraintsFacts;
  keyUsage?: KeyUsageFacts;
  eku?: EkuFacts;
  ocspUrls: string[];
  crlUrls: string[];
  freshestCrlUrls: string[];
  /** Subject key identifier, lowercase hex. */
  subjectKeyIdentifier?: string;
  /** Every extension: OID + criticality (unknown critical extensions are refused by the chain rules). */
  all: ReadonlyArray<{ oid: string; critical: boolean }>;
}

const KEY_USAGE_BITS = Object.keys(KeyUsageFlags).filter((k) => Number.isNaN(Number(k))) as KeyUsageBit[];

/** Reads the extensions node's X509Certificate does not expose; a malformed or duplicated extension is an error. */
export function readExtensions(extensions: readonly Extension[] | undefined): ExtensionFacts {
  const facts: ExtensionFacts = { ocspUrls: [], crlUrls: [], freshestCrlUrls: [], all: [] };
  const seen = new Set<string>();
  const all: Array<{ oid: string; critical: boolean }> = [];
  for (const extension of extensions ?? []) {
    if (seen.has(extension.extnID)) throw new PkiError('ERR_CERT_PARSE', `duplicate extension ${extension.extnID}`);
    seen.add(extension.extnID);
    all.push({ oid: extension.extnID, critical: extension.critical });
    const value = extension.extnValue.buffer;
    const critical = extension.critical;
    try {
      switch (extension.extnID) {
        case OID.basicConstraints: {
          const bc = AsnConvert.parse(value, BasicConstraints);
          facts.basicConstraints = { critical, ca: bc.cA, ...(bc.pathLenConstraint === undefined ? {} : { pathLen: bc.pathLenConstraint }) };
          break;
        }
        case OID.keyUsage: {
          const flags = AsnConvert.parse(value, KeyUsage).toNumber();
          facts.keyUsage = { critical, bits: new Set(KEY_USAGE_BITS.filter((bit) => flags & KeyUsageFlags[bit])) };
          break;
        }
        case OID.extKeyUsage:
          facts.eku = { critical, oids: [...AsnConvert.parse(value, ExtendedKeyUsage)] };
          break;
        case OID.authorityInfoAccess:
          for (const access of AsnConvert.parse(value, AuthorityInfoAccessSyntax)) {
            const url = access.accessLocation.uniformResourceIdentifier;
            if (access.accessMethod === OID.accessOcsp && url !== undefined) facts.ocspUrls.push(url);
          }
          break;
        case OID.crlDistributionPoints:
          facts.crlUrls.push(...distributionPointUrls(AsnConvert.parse(value, CRLDistributionPoints)));
          break;
        case OID.subjectKeyIdentifier:
          facts.subjectKeyIdentifier = Buffer.from(AsnConvert.parse(value, SubjectKeyIdentifier).buffer).toString('hex');
          break;
        case OID.freshestCrl:
          facts.freshestCrlUrls.push(...distributionPointUrls(AsnConvert.parse(value, FreshestCRL)));
          break;
      }
    } catch (error) {
      throw new PkiError('ERR_CERT_PARSE', `malformed extension ${extension.extnID}: ${(error as Error).message}`, { cause: error });
    }
  }
  return { ...facts, all };
}

/** The URI full names of distribution points (non-URI names are ignored, as the reference does). */
export function distributionPointUrls(points: Iterable<DistributionPoint>): string[] {
  const urls: string[] = [];
  for (const point of points) {
    for (const name of point.distributionPoint?.fullName ?? []) {
      if (name.uniformResourceIdentifier !== undefined) urls.push(name.uniformResourceIdentifier);
    }
  }
  return urls;
}
