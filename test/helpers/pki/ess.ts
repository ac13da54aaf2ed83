import { AsnArray, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, GeneralName } from '@peculiar/asn1-x509';

// An independent encoder of the ESS signing-certificate attributes (RFC 2634 §5.4, RFC 5035 §3), kept
// apart from shared/pki's decoder so a schema mistake on one side cannot hide itself in the tests.

@AsnType({ type: AsnTypeTypes.Sequence, itemType: GeneralName })
export class TestGeneralNames extends AsnArray<GeneralName> {}

@AsnType({ type: AsnTypeTypes.Sequence })
export class TestIssuerSerial {
  @AsnProp({ type: TestGeneralNames }) issuer = new TestGeneralNames();
  @AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter }) serialNumber = new ArrayBuffer(0);
}

@AsnType({ type: AsnTypeTypes.Sequence })
export class TestEssCertIdV2 {
  // DEFAULT sha256: DER omits it, so the tests only set it for other hashes.
  @AsnProp({ type: AlgorithmIdentifier, optional: true }) hashAlgorithm?: AlgorithmIdentifier;
  @AsnProp({ type: OctetString }) certHash = new OctetString();
  @AsnProp({ type: TestIssuerSerial, optional: true }) issuerSerial?: TestIssuerSerial;
}

@AsnType({ type: AsnTypeTypes.Sequence })
export class TestEssCertId {
  @AsnProp({ type: OctetString }) certHash = new OctetString();
  @AsnProp({ type: TestIssuerSerial, optional: true }) issuerSerial?: TestIssuerSerial;
}

@AsnType({ type: AsnTypeTypes.Sequence, itemType: TestEssCertIdV2 })
export class TestEssCertIdV2s extends AsnArray<TestEssCertIdV2> {}

@AsnType({ type: AsnTypeTypes.Sequence, itemType: TestEssCertId })
export class TestEssCertIds extends AsnArray<TestEssCertId> {}

@AsnType({ type: AsnTypeTypes.Sequence })
export class TestSigningCertificateV2 {
  @AsnProp({ type: TestEssCertIdV2s }) certs = new TestEssCertIdV2s();
}

@AsnType({ type: AsnTypeTypes.Sequence })
export class TestSigningCertificate {
  @AsnProp({ type: TestEssCertIds }) certs = new TestEssCertIds();
}
