import { X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, Extensions, SubjectPublicKeyInfo, TBSCertificate, Validity, Version, type Extension } from '@peculiar/asn1-x509';
import {
  akiExt, basicConstraintsExt, crlExt, ekuExt, freshestCrlExt, keyUsageExt, ocspExt, skiExt, extension, EKU,
  type BasicConstraintsSpec, type EkuSpec, type KeyUsageSpec, type RawExtension,
} from './extensions.js';
import { keyFor, pairedHash, type HashName, type KeyPair, type KeyType } from './keys.js';
import { toAsnName } from './names.js';
import { corrupt, serialBytes, signBytes, signatureAlgorithm, toDer } from './sign.js';
import { addDays, PKI_NOW } from './time.js';

/** A certificate made by the test PKI, with everything a test needs to use or break it. */
export interface TestCert {
  /** node's parsed certificate. */
  readonly cert: X509Certificate;
  readonly der: Buffer;
  readonly pem: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyType: KeyType;
  /** Subject DN text as given to the factory. */
  readonly name: string;
  /** Serial number, lowercase hex without leading zeros. */
  readonly serial: string;
  /** The issuing TestCert; undefined for self-signed certificates. */
  readonly issuer: TestCert | undefined;
}

/** Everything a certificate factory accepts; every field has a sensible default so tests state only what matters. */
export interface CertOptions {
  /** Required. Subject DN text, e.g. "CN=leaf, O=acme, ST=WA, C=US". */
  name: string;
  /** Optional. Default: 'rsa-2048'. */
  keyType?: KeyType;
  /** Optional. Label of the memoised key. Default: the subject name (distinct names → distinct keys). */
  keyLabel?: string;
  /** Optional. An explicit key pair (overrides keyType/keyLabel). */
  key?: KeyPair;
  /** Optional. Default: PKI_NOW − 30 days. */
  notBefore?: Date;
  /** Optional. Default: PKI_NOW + 365 days. */
  notAfter?: Date;
  /** Optional. The issuing CA; absent = self-signed. */
  issuer?: TestCert;
  /** Optional. Hex serial. Default: a per-run counter. */
  serial?: string;
  /** Optional. basicConstraints, or null to omit it. Default depends on the factory. */
  basicConstraints?: BasicConstraintsSpec | null;
  /** Optional. keyUsage, or null to omit it. */
  keyUsage?: KeyUsageSpec | null;
  /** Optional. extendedKeyUsage, or null to omit it. */
  eku?: EkuSpec | null;
  /** Optional. OCSP responder URLs (AIA). */
  ocspUrls?: string[];
  /** Optional. CRL distribution point URLs. */
  crlUrls?: string[];
  /** Optional. Freshest CRL (delta) URLs. */
  freshestCrlUrls?: string[];
  /** Optional. Extra extensions appended as given. */
  extraExtensions?: RawExtension[];
  /** Optional. Hash of the certificate signature. Default: the hash paired with the issuer's key. */
  signatureHash?: HashName;
  /** Optional. Issuer DN text written into the certificate. Default: the issuer's subject (breaks chaining when changed). */
  issuerNameOverride?: string;
  /** Optional. Sign with this key instead of the issuer's (signature no longer verifies under the issuer). */
  signWith?: KeyObject;
  /** Optional. Corrupt the signature bytes. Default: false. */
  corruptSignature?: boolean;
  /** Optional. Omit SKI/AKI. Default: false. */
  omitKeyIdentifiers?: boolean;
}

let nextSerial = 0x1000;

/** Builds and signs one certificate exactly as described; the CA/leaf factories below only choose defaults. */
export function createCertificate(options: CertOptions): TestCert {
  const keyType = options.key?.type ?? options.keyType ?? 'rsa-2048';
  const key = options.key ?? keyFor(keyType, options.keyLabel ?? options.name);
  const issuer = options.issuer;
  const signingKey = options.signWith ?? issuer?.privateKey ?? key.privateKey;
  const issuerKeyType = issuer?.keyType ?? keyType;
  const hash = options.signatureHash ?? pairedHash(issuerKeyType);
  const serial = options.serial ?? (nextSerial++).toString(16);
  const algorithm = signatureAlgorithm(signingKey, hash);

  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialBytes(serial),
    signature: algorithm,
    issuer: toAsnName(options.issuerNameOverride ?? issuer?.name ?? options.name),
    validity: new Validity({
      notBefore: options.notBefore ?? addDays(PKI_NOW, -30),
      notAfter: options.notAfter ?? addDays(PKI_NOW, 365),
    }),
    subject: toAsnName(options.name),
    subjectPublicKeyInfo: AsnConvert.parse(key.publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo),
  });
  const extensions = buildExtensions(options, key.publicKey, issuer?.publicKey ?? key.publicKey);
  if (extensions.length > 0) tbs.extensions = new Extensions(extensions);

  const tbsDer = toDer(tbs);
  const signature = signBytes(signingKey, hash, tbsDer);
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: new Uint8Array(options.corruptSignature ? corrupt(signature) : signature).buffer,
  });
  const der = toDer(certificate);
  return {
    cert: new X509Certificate(der),
    der,
    pem: toPem(der, 'CERTIFICATE'),
    privateKey: key.privateKey,
    publicKey: key.publicKey,
    keyType,
    name: options.name,
    serial: serial.replace(/^0+(?=.)/, '').toLowerCase(),
    issuer,
  };
}

function buildExtensions(options: CertOptions, subjectKey: KeyObject, issuerKey: KeyObject): Extension[] {
  const out: Extension[] = [];
  if (options.basicConstraints) out.push(basicConstraintsExt(options.basicConstraints));
  if (options.keyUsage) out.push(keyUsageExt(options.keyUsage));
  if (options.eku) out.push(ekuExt(options.eku));
  if (!options.omitKeyIdentifiers) out.push(skiExt(subjectKey), akiExt(issuerKey));
  if (options.ocspUrls?.length) out.push(ocspExt(options.ocspUrls));
  if (options.crlUrls?.length) out.push(crlExt(options.crlUrls));
  if (options.freshestCrlUrls?.length) out.push(freshestCrlExt(options.freshestCrlUrls));
  for (const raw of options.extraExtensions ?? []) out.push(extension(raw.oid, raw.critical ?? false, raw.value));
  return out;
}

/** CA options: `pathLen` is shorthand for basicConstraints {ca: true, pathLen}. */
export interface CaOptions extends CertOptions {
  /** Optional. pathLenConstraint. Default: none. */
  pathLen?: number;
}

/**
 * A CA certificate (self-signed root unless `issuer` is given): basicConstraints cA=true critical,
 * keyUsage keyCertSign+cRLSign critical. Override any of them to make a broken CA.
 */
export function createCa(options: CaOptions): TestCert {
  return createCertificate({
    basicConstraints: { ca: true, critical: true, ...(options.pathLen === undefined ? {} : { pathLen: options.pathLen }) },
    keyUsage: { bits: ['keyCertSign', 'cRLSign'], critical: true },
    ...options,
  });
}

export type LeafProfile = 'codeSigning' | 'timestamping' | 'ocspSigning';

/** Leaf options: `profile` picks the defaults. */
export interface LeafOptions extends CertOptions {
  /** Optional. Default: 'codeSigning'. */
  profile?: LeafProfile;
}

/**
 * An end-entity certificate. Profiles (all with keyUsage digitalSignature critical, basicConstraints cA=false critical):
 * codeSigning → EKU codeSigning (non-critical); timestamping → EKU timeStamping critical (RFC 3161 §2.3);
 * ocspSigning → EKU OCSPSigning (a delegated OCSP responder).
 */
export function createLeaf(options: LeafOptions): TestCert {
  const profile = options.profile ?? 'codeSigning';
  const eku: EkuSpec =
    profile === 'timestamping' ? { oids: [EKU.timeStamping], critical: true } :
    profile === 'ocspSigning' ? { oids: [EKU.ocspSigning], critical: false } :
    { oids: [EKU.codeSigning], critical: false };
  return createCertificate({
    basicConstraints: { ca: false, critical: true },
    keyUsage: { bits: ['digitalSignature'], critical: true },
    eku,
    ...options,
  });
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
