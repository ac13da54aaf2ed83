/**
 * The six signature algorithms of the Notary signature specification ("Algorithm Selection"):
 * RSASSA-PSS with SHA-2 and ECDSA on the NIST curves; anything else fails integrity.
 */
export type SignatureAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

export interface AlgorithmInfo {
  name: SignatureAlgorithm;
  /** node:crypto digest name. */
  hash: 'sha256' | 'sha384' | 'sha512';
  /** Digest length in bytes = the RSASSA-PSS salt length Notary requires. */
  hashLength: number;
  family: 'rsa-pss' | 'ecdsa';
  /** ECDSA only: byte length of r and of s in the raw r||s encoding (RFC 7518 §3.4). */
  coordinateLength?: number;
  /** COSE algorithm identifier (RFC 9053 §2.1, RFC 8230 §2). */
  coseLabel: number;
}

const TABLE: readonly AlgorithmInfo[] = [
  { name: 'PS256', hash: 'sha256', hashLength: 32, family: 'rsa-pss', coseLabel: -37 },
  { name: 'PS384', hash: 'sha384', hashLength: 48, family: 'rsa-pss', coseLabel: -38 },
  { name: 'PS512', hash: 'sha512', hashLength: 64, family: 'rsa-pss', coseLabel: -39 },
  { name: 'ES256', hash: 'sha256', hashLength: 32, family: 'ecdsa', coordinateLength: 32, coseLabel: -7 },
  { name: 'ES384', hash: 'sha384', hashLength: 48, family: 'ecdsa', coordinateLength: 48, coseLabel: -35 },
  { name: 'ES512', hash: 'sha512', hashLength: 64, family: 'ecdsa', coordinateLength: 66, coseLabel: -36 },
];

/** The algorithm named by a JWS `alg` value, or undefined when Notary does not allow it. */
export function algorithmFromJwsName(name: unknown): AlgorithmInfo | undefined {
  return TABLE.find((entry) => entry.name === name);
}

/** The algorithm named by a COSE `alg` label, or undefined when Notary does not allow it. */
export function algorithmFromCoseLabel(label: unknown): AlgorithmInfo | undefined {
  return TABLE.find((entry) => entry.coseLabel === label);
}

export function algorithmInfo(name: SignatureAlgorithm): AlgorithmInfo {
  const info = TABLE.find((entry) => entry.name === name);
  if (!info) throw new RangeError(`unknown algorithm ${String(name)}`);
  return info;
}
