import { createHash, type X509Certificate } from 'node:crypto';
import { parseCertificate, type Certificate } from '../certificate.js';
import { validateTimestampingChain, issuedBy } from '../chain.js';
import { HASH_BY_OID, HASH_LENGTH, OID } from '../constants.js';
import { PkiError } from '../errors.js';
import { validAt } from '../validity.js';
import { verifySignerInfo } from './signer.js';
import { parseTimestampToken, type ParsedToken } from './token.js';

export interface TimestampVerifyOptions {
  /** Required. The bytes that were timestamped: the raw signature value of the envelope (spec §10.2 step 3). */
  signature: Uint8Array;
  /** Required. Trusted TSA roots (the statement's `tsa` stores). Empty → ERR_TIMESTAMP_NO_ANCHORS. */
  tsaAnchors: ReadonlyArray<X509Certificate | Certificate>;
}

/** A verified timestamp. */
export interface VerifiedTimestamp {
  genTime: Date;
  /** TSTInfo accuracy in ms (1000 under the baseline policy when absent, else 0). */
  accuracyMs: number;
  /** Leaf first, ending with the trusted root. */
  tsaChain: Certificate[];
  policyOid: string;
  hashAlgorithm: 'sha256' | 'sha384' | 'sha512';
}

const MAX_PATH = 8;

/**
 * Verifies an RFC 3161 timestamp countersignature (spec §10.2 steps 2–6): parse, TSTInfo checks, imprint =
 * hash(signature), a SignerInfo that verifies (others may be broken), the TSA chain built from the token's
 * certificates to one of `tsaAnchors` with every certificate valid at genTime, and the timestamping chain
 * requirements (§7.4). Throws PkiError with a code naming the failed property.
 */
export function verifyTimestampToken(token: Uint8Array, options: TimestampVerifyOptions): VerifiedTimestamp {
  const parsed = parseTimestampToken(token);
  const { tstInfo } = parsed;
  // 3. Message imprint: SHA-256/384/512 over the signature bytes.
  const hashAlgorithm = HASH_BY_OID[tstInfo.messageImprint.hashAlgorithm.algorithm];
  if (!hashAlgorithm) throw new PkiError('ERR_TIMESTAMP_HASH_UNSUPPORTED', `unsupported message imprint hash ${tstInfo.messageImprint.hashAlgorithm.algorithm}`);
  const imprint = Buffer.from(tstInfo.messageImprint.hashedMessage.buffer);
  if (imprint.length !== HASH_LENGTH[hashAlgorithm] || !imprint.equals(createHash(hashAlgorithm).update(options.signature).digest())) {
    throw new PkiError('ERR_TIMESTAMP_IMPRINT_MISMATCH', 'the timestamp message imprint does not match the signature');
  }
  // 4. Anchors.
  if (options.tsaAnchors.length === 0) throw new PkiError('ERR_TIMESTAMP_NO_ANCHORS', 'no trusted TSA certificate was given');
  const anchors = options.tsaAnchors.map((a) => parseCertificate(a));
  // 5. Some SignerInfo must verify and chain to an anchor at genTime.
  const genTime = tstInfo.genTime;
  const signer = firstVerifiedSigner(parsed);
  const tsaChain = buildPath(signer, parsed.certificates, anchors, genTime);
  // 6. TSA chain requirements.
  validateTimestampingChain(tsaChain);
  return { genTime, accuracyMs: accuracyMs(parsed), tsaChain, policyOid: tstInfo.policy, hashAlgorithm };
}

function firstVerifiedSigner(parsed: ParsedToken): Certificate {
  let firstError: unknown;
  for (const [index, signerInfo] of parsed.signerInfos.entries()) {
    try {
      return verifySignerInfo(parsed, signerInfo, parsed.signedAttrsRaw[index]);
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError) throw firstError;
  throw new PkiError('ERR_TIMESTAMP_SIGNER_NOT_FOUND', 'the timestamp token has no SignerInfo');
}

/** Depth-first path building leaf → anchor, every certificate valid at genTime (like Go's x509.Verify with CurrentTime). */
function buildPath(leaf: Certificate, intermediates: readonly Certificate[], anchors: readonly Certificate[], at: Date): Certificate[] {
  if (!validAt(leaf, at)) throw untrusted(`the TSA certificate "${leaf.subject}" was not valid at genTime ${at.toISOString()}`);
  const isAnchor = (c: Certificate) => anchors.some((a) => a.thumbprint === c.thumbprint);
  const search = (path: Certificate[]): Certificate[] | undefined => {
    const current = path[path.length - 1] as Certificate;
    if (isAnchor(current)) return path;
    if (path.length >= MAX_PATH) return undefined;
    for (const candidate of [...anchors, ...intermediates]) {
      if (path.some((c) => c.thumbprint === candidate.thumbprint)) continue;
      if (!validAt(candidate, at) || !issuedBy(current, candidate)) continue;
      const found = search([...path, candidate]);
      if (found) return found;
    }
    return undefined;
  };
  const path = search([leaf]);
  if (!path) throw untrusted(`the TSA certificate "${leaf.subject}" does not chain to a trusted TSA root at ${at.toISOString()}`);
  return path;
}

function untrusted(message: string): PkiError {
  return new PkiError('ERR_TIMESTAMP_UNTRUSTED', message);
}

function accuracyMs(parsed: ParsedToken): number {
  const accuracy = parsed.tstInfo.accuracy;
  if (!accuracy) return parsed.tstInfo.policy === OID.baselineTsaPolicy ? 1000 : 0;
  return (accuracy.seconds ?? 0) * 1000 + (accuracy.millis ?? 0) + (accuracy.micros ?? 0) / 1000;
}

/**
 * Spec §10.2 step 7: the timestamp range [genTime − accuracy, genTime + accuracy] lies within the validity of
 * every certificate of the signing chain. Throws ERR_TIMESTAMP_OUTSIDE_VALIDITY naming the first offender.
 */
export function timestampCoversChain(chain: ReadonlyArray<Certificate | X509Certificate | Uint8Array>, genTime: Date, accuracyMs: number): void {
  const earliest = genTime.getTime() - accuracyMs;
  const latest = genTime.getTime() + accuracyMs;
  for (const input of chain) {
    const cert = parseCertificate(input);
    if (earliest < cert.notBefore.getTime()) {
      throw new PkiError('ERR_TIMESTAMP_OUTSIDE_VALIDITY', `timestamp can be before certificate "${cert.subject}" validity period, it will be valid from ${cert.notBefore.toISOString()}`, {
        details: { thumbprint: cert.thumbprint, bound: 'notBefore' },
      });
    }
    if (latest > cert.notAfter.getTime()) {
      throw new PkiError('ERR_TIMESTAMP_OUTSIDE_VALIDITY', `timestamp can be after certificate "${cert.subject}" validity period, it was expired at ${cert.notAfter.toISOString()}`, {
        details: { thumbprint: cert.thumbprint, bound: 'notAfter' },
      });
    }
  }
}
