/** Certificates made at test time (ECDSA P-256, fixed validity) for the anchor rules the corpus does not cover. */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const NOT_BEFORE = new Date('2024-01-01T00:00:00Z');
const NOT_AFTER = new Date('2034-01-01T00:00:00Z');
let serial = 1;

export interface Issued {
  pem: string;
  keys: webcrypto.CryptoKeyPair;
  name: string;
}

export interface CertOptions {
  /** CA (basicConstraints cA=true) or not; undefined = no basicConstraints extension. */
  ca?: boolean;
  /** keyUsage flags; undefined = no keyUsage extension. */
  keyUsage?: number;
  hash?: 'SHA-256' | 'SHA-1';
  /** Issuer DN text when it should differ from the subject although the key is the cert's own. */
  issuerName?: string;
}

export async function selfSigned(name: string, options: CertOptions = {}): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    subject: name,
    issuer: options.issuerName ?? name,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    signingAlgorithm: { ...EC, hash: options.hash ?? 'SHA-256' },
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: extensions(options),
  });
  return { pem: cert.toString('pem'), keys, name };
}

export async function issuedBy(issuer: Issued, name: string, options: CertOptions = {}): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    subject: name,
    issuer: issuer.name,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    signingAlgorithm: { ...EC, hash: options.hash ?? 'SHA-256' },
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: extensions(options),
  });
  return { pem: cert.toString('pem'), keys, name };
}

function extensions(options: CertOptions): x509.Extension[] {
  const list: x509.Extension[] = [];
  if (options.ca !== undefined) list.push(new x509.BasicConstraintsExtension(options.ca, undefined, true));
  if (options.keyUsage !== undefined) list.push(new x509.KeyUsagesExtension(options.keyUsage, true));
  return list;
}

export const KeyUsage = x509.KeyUsageFlags;
