import 'reflect-metadata';
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import {
  Attribute, CertificateChoices, CertificateSet, ContentInfo, EncapsulatedContent, EncapsulatedContentInfo, IssuerAndSerialNumber,
  SignedData, SignerIdentifier, SignerInfo, SignerInfos, DigestAlgorithmIdentifiers, id_signedData,
} from '@peculiar/asn1-cms';
import { Accuracy, MessageImprint, TSTInfo, id_ct_tstInfo } from '@peculiar/asn1-tsp';
import { Certificate, GeneralName, Time } from '@peculiar/asn1-x509';
import { createCa, createLeaf, type CaOptions, type LeafOptions, type TestCert } from './certs.js';
import { derSetOf } from './der.js';
import { TestEssCertId, TestEssCertIdV2, TestEssCertIds, TestEssCertIdV2s, TestGeneralNames, TestIssuerSerial, TestSigningCertificate, TestSigningCertificateV2 } from './ess.js';
import type { HashName, KeyType } from './keys.js';
import { toAsnName } from './names.js';
import { corrupt, digest, digestAlgorithm, serialBytes, signBytes, signatureAlgorithm, toDer } from './sign.js';
import { addDays, PKI_NOW } from './time.js';

/** CMS attribute OIDs (RFC 5652 §11, RFC 2634, RFC 5035). */
export const CMS_ATTR = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** The ETSI baseline time-stamp policy (accuracy defaults to 1 s under it when absent). */
export const BASELINE_TSA_POLICY = '0.4.0.2023.1.1';

@AsnType({ type: AsnTypeTypes.Choice })
class OidValue {
  @AsnProp({ type: AsnPropTypes.ObjectIdentifier }) value = '';
}

/** A TSA: root CA + timestamping leaf (EKU timeStamping critical). */
export interface TestTsa {
  readonly root: TestCert;
  readonly leaf: TestCert;
  /** [leaf, root]: what the token embeds by default. */
  readonly chain: TestCert[];
}

export interface TsaOptions {
  /** Optional. Default: 'rsa-2048'. */
  keyType?: KeyType;
  /** Optional. CN prefix (distinct prefixes → distinct keys). Default: 'Test TSA'. */
  prefix?: string;
  /** Optional. Overrides of the root. */
  root?: Partial<CaOptions>;
  /** Optional. Overrides of the leaf (e.g. eku, keyUsage, notAfter). */
  leaf?: Partial<LeafOptions>;
}

/** A TSA whose certificates are valid from PKI_NOW − 3 years to PKI_NOW + 5 years unless overridden. */
export function createTsa(options: TsaOptions = {}): TestTsa {
  const prefix = options.prefix ?? 'Test TSA';
  const keyType = options.keyType ?? 'rsa-2048';
  const validity = { notBefore: addDays(PKI_NOW, -3 * 365), notAfter: addDays(PKI_NOW, 5 * 365) };
  const root = createCa({ name: `CN=${prefix} Root, O=Notary Test, C=US`, keyType, ...validity, ...options.root });
  const leaf = createLeaf({ name: `CN=${prefix}, O=Notary Test, C=US`, keyType, issuer: root, profile: 'timestamping', ...validity, ...options.leaf });
  return { root, leaf, chain: [leaf, root] };
}

/** Knobs of a timestamp token; each breaks one property the verifier must check. */
export interface TimestampOptions {
  /** Required. The TSA that signs. */
  tsa: TestTsa;
  /** The timestamped bytes (the signature value); the imprint is their hash. Required unless `digest` is given. */
  data?: Uint8Array;
  /** Optional. The imprint itself (wins over `data`). */
  digest?: Uint8Array;
  /** Optional. Imprint hash. Default: 'sha256'. */
  hashAlg?: HashName;
  /** Optional. Default: PKI_NOW. */
  genTime?: Date;
  /** Optional. TSTInfo accuracy. Default: absent. */
  accuracy?: { seconds?: number; millis?: number; micros?: number };
  /** Optional. TSA policy OID. Default: '1.3.6.1.4.1.4146.2.3' (a GlobalSign policy, like the corpus). */
  policy?: string;
  /** Optional. Include ESS signing-certificate-v2. Default: true. */
  signingCertificateV2?: boolean;
  /** Optional. Include ESS signing-certificate (v1, SHA-1). Default: false. */
  signingCertificateV1?: boolean;
  /** Optional. Hash of the ESS cert hash. Default: 'sha256'. */
  certHashAlg?: HashName;
  /** Optional. Replace the ESS cert hash (mismatch). */
  certHashOverride?: Uint8Array;
  /** Optional. Put issuerSerial into ESSCertIDv2. Default: true. */
  issuerSerial?: boolean;
  /** Optional. Certificates embedded in the token. Default: tsa.chain. */
  certificates?: TestCert[];
  /** Optional. Signer: who signs (its key) and whom the sid names. Default: tsa.leaf. */
  signer?: TestCert;
  /** Optional. eContentType. Default: id-ct-TSTInfo. */
  eContentType?: string;
  /** Optional. TSTInfo version. Default: 1. */
  tstInfoVersion?: number;
  /** Optional. SignerInfo version. Default: 1. */
  signerInfoVersion?: number;
  /** Optional. SignedData version. Default: 3. */
  signedDataVersion?: number;
  /** Optional. Digest of the signer (message-digest attribute and signature). Default: 'sha256'. */
  signerHash?: HashName;
  /** Optional. Omit the content-type signed attribute. */
  omitContentType?: boolean;
  /** Optional. Content-type attribute value. Default: the eContentType. */
  contentTypeAttr?: string;
  /** Optional. Omit the message-digest signed attribute. */
  omitMessageDigest?: boolean;
  /** Optional. Replace the message-digest attribute value. */
  messageDigestOverride?: Uint8Array;
  /** Optional. CMS signing-time signed attribute. */
  signingTime?: Date;
  /** Optional. No signed attributes at all (signature over eContent). */
  omitSignedAttributes?: boolean;
  /** Optional. Corrupt the SignerInfo signature. */
  corruptSignature?: boolean;
  /** Optional. Serial of the TSTInfo. Default: '01'. */
  serial?: string;
}

/**
 * An RFC 3161 TimeStampToken (RFC 3161 §2.4.2): CMS SignedData over a TSTInfo, signed by the TSA leaf with
 * content-type, message-digest and ESS signing-certificate-v2 signed attributes. Returns the DER ContentInfo.
 */
export function issueTimestampToken(options: TimestampOptions): Buffer {
  const hashAlg = options.hashAlg ?? 'sha256';
  const imprint = options.digest ?? digest(hashAlg, requireData(options));
  const signer = options.signer ?? options.tsa.leaf;
  const eContentType = options.eContentType ?? id_ct_tstInfo;
  const tstInfo = new TSTInfo({
    version: options.tstInfoVersion ?? 1,
    policy: options.policy ?? '1.3.6.1.4.1.4146.2.3',
    messageImprint: new MessageImprint({ hashAlgorithm: digestAlgorithm(hashAlg), hashedMessage: new OctetString(imprint) }),
    serialNumber: serialBytes(options.serial ?? '01'),
    genTime: options.genTime ?? PKI_NOW,
    ...(options.accuracy ? { accuracy: new Accuracy(options.accuracy) } : {}),
  });
  const eContent = toDer(tstInfo);
  const signerHash = options.signerHash ?? 'sha256';

  const attributes = options.omitSignedAttributes ? [] : signedAttributes(options, signer, eContentType, digest(signerHash, eContent));
  const signedInput = options.omitSignedAttributes ? eContent : derSetOf(attributes.map(toDer));
  const signature = signBytes(signer.privateKey, signerHash, signedInput);
  const signerInfo = new SignerInfo({
    version: options.signerInfoVersion ?? 1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: toAsnName(signer.issuer?.name ?? signer.name), serialNumber: serialBytes(signer.serial) }),
    }),
    digestAlgorithm: digestAlgorithm(signerHash),
    signatureAlgorithm: signatureAlgorithm(signer.privateKey, signerHash),
    signature: new OctetString(options.corruptSignature ? corrupt(signature) : signature),
    ...(attributes.length > 0 ? { signedAttrs: sortedByDer(attributes) } : {}),
  });
  const certificates = options.certificates ?? options.tsa.chain;
  const signedData = new SignedData({
    version: options.signedDataVersion ?? 3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([digestAlgorithm(signerHash)]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType, eContent: new EncapsulatedContent({ single: new OctetString(eContent) }) }),
    signerInfos: new SignerInfos([signerInfo]),
    ...(certificates.length > 0
      ? { certificates: new CertificateSet(certificates.map((c) => new CertificateChoices({ certificate: AsnConvert.parse(c.der, Certificate) }))) }
      : {}),
  });
  return toDer(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) }));
}

function requireData(options: TimestampOptions): Uint8Array {
  if (!options.data) throw new Error('issueTimestampToken needs data or digest');
  return options.data;
}

function signedAttributes(options: TimestampOptions, signer: TestCert, eContentType: string, contentDigest: Buffer): Attribute[] {
  const attrs: Attribute[] = [];
  const value = (v: unknown) => AsnConvert.serialize(v);
  if (!options.omitContentType) {
    attrs.push(new Attribute({ attrType: CMS_ATTR.contentType, attrValues: [value(Object.assign(new OidValue(), { value: options.contentTypeAttr ?? eContentType }))] }));
  }
  if (!options.omitMessageDigest) {
    attrs.push(new Attribute({ attrType: CMS_ATTR.messageDigest, attrValues: [value(new OctetString(options.messageDigestOverride ?? contentDigest))] }));
  }
  if (options.signingTime) attrs.push(new Attribute({ attrType: CMS_ATTR.signingTime, attrValues: [value(new Time(options.signingTime))] }));
  const issuerSerial = Object.assign(new TestIssuerSerial(), {
    issuer: new TestGeneralNames([new GeneralName({ directoryName: toAsnName(signer.issuer?.name ?? signer.name) })]),
    serialNumber: serialBytes(signer.serial),
  });
  if (options.signingCertificateV2 ?? true) {
    const certHashAlg = options.certHashAlg ?? 'sha256';
    const id = Object.assign(new TestEssCertIdV2(), {
      certHash: new OctetString(options.certHashOverride ?? digest(certHashAlg, signer.der)),
      ...(certHashAlg === 'sha256' ? {} : { hashAlgorithm: digestAlgorithm(certHashAlg) }),
      ...(options.issuerSerial ?? true ? { issuerSerial } : {}),
    });
    const v2 = Object.assign(new TestSigningCertificateV2(), { certs: new TestEssCertIdV2s([id]) });
    attrs.push(new Attribute({ attrType: CMS_ATTR.signingCertificateV2, attrValues: [value(v2)] }));
  }
  if (options.signingCertificateV1) {
    const id = Object.assign(new TestEssCertId(), { certHash: new OctetString(digest('sha1', signer.der)), issuerSerial });
    const v1 = Object.assign(new TestSigningCertificate(), { certs: new TestEssCertIds([id]) });
    attrs.push(new Attribute({ attrType: CMS_ATTR.signingCertificate, attrValues: [value(v1)] }));
  }
  return attrs;
}

/** DER SET OF order, so the [0] IMPLICIT encoding in SignerInfo equals the signed SET. */
function sortedByDer(attributes: Attribute[]): Attribute[] {
  return [...attributes].sort((a, b) => Buffer.compare(toDer(a), toDer(b)));
}
