import { AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, GeneralName } from '@peculiar/asn1-x509';

/** IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber } (RFC 5035 §4). */
@AsnType({ type: AsnTypeTypes.Sequence })
export class IssuerSerial {
  @AsnProp({ type: GeneralName, repeated: 'sequence' }) issuer: GeneralName[] = [];
  @AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter }) serialNumber = new ArrayBuffer(0);
}

/** ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT id-sha256, certHash OCTET STRING, issuerSerial OPTIONAL } (RFC 5035 §4). */
@AsnType({ type: AsnTypeTypes.Sequence })
export class EssCertIdV2 {
  @AsnProp({ type: AlgorithmIdentifier, optional: true }) hashAlgorithm?: AlgorithmIdentifier;
  @AsnProp({ type: OctetString }) certHash = new OctetString();
  @AsnProp({ type: IssuerSerial, optional: true }) issuerSerial?: IssuerSerial;
}

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies ... OPTIONAL } (RFC 5035 §3). */
@AsnType({ type: AsnTypeTypes.Sequence })
export class SigningCertificateV2 {
  @AsnProp({ type: EssCertIdV2, repeated: 'sequence' }) certs: EssCertIdV2[] = [];
  @AsnProp({ type: AsnPropTypes.Any, optional: true }) policies?: ArrayBuffer;
}

