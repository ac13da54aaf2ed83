import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificates } from '../../shared/pki/index.js';
import type { TrustStore, TrustStoreType } from '../../shared/truststore/index.js';
import { AppError } from '../../shared/core/index.js';

/** Root of the copied corpus (see test/fixtures/conformance/ATTRIBUTION.md). */
export const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'conformance');

export interface CorpusCase {
  id: string;
  kind: 'oci' | 'blob';
  envelope?: string;
  envelopeMediaType?: string;
  ociLayout?: string;
  reference?: string;
  targetDescriptor?: { mediaType: string; digest: string; size: number };
  blob?: { path: string; mediaType?: string; digest?: string; size?: number };
  blobDescriptorOverride?: { mediaType: string; digest: string; size: number };
  policy?: string;
  policyInline?: unknown;
  policyName?: string | null;
  policyEdit?: Record<string, unknown>;
  policyLevelOverride?: string;
  trustStores?: Record<string, string[]>;
  trustStoreDir?: string | null;
  userMetadata?: Record<string, string> | null;
  verificationTime: string;
  expect: {
    result: 'pass' | 'fail' | 'skipped' | 'policy-invalid' | 'inspect-only';
    failedCheck?: string;
    logged?: string[];
    [key: string]: unknown;
  };
}

export function loadCases(): CorpusCase[] {
  return (JSON.parse(readFileSync(join(CORPUS, 'cases.json'), 'utf8')) as { cases: CorpusCase[] }).cases;
}

export function corpusFile(path: string): Buffer {
  return readFileSync(join(CORPUS, path));
}

/**
 * A TrustStore over the case's stores: explicit `type:name` file lists first, then a Notation-layout
 * directory (x509/<type>/<name>/*). Only what the verifier needs to run the corpus; the production
 * file store (shared/truststore) applies the spec's loading rules.
 */
export function caseTrustStore(testCase: CorpusCase): TrustStore {
  return {
    async getCertificates(type: TrustStoreType, name: string) {
      const files = testCase.trustStores?.[`${type}:${name}`];
      if (files) return files.flatMap((file) => certificatesIn(corpusFile(file)));
      const dir = testCase.trustStoreDir ? join(CORPUS, testCase.trustStoreDir, 'x509', type, name) : undefined;
      if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new AppError('ERR_TRUST_STORE_NOT_FOUND', 'config', `trust store ${type}:${name} does not exist`);
      }
      return readdirSync(dir).flatMap((file) => certificatesIn(readFileSync(join(dir, file))));
    },
    async fingerprint() {
      return testCase.id;
    },
  };
}

function certificatesIn(bytes: Buffer): X509Certificate[] {
  return parseCertificates(bytes).map((cert) => cert.x509);
}

/** Signature envelopes of an OCI layout whose signature manifests name `subjectDigest` (notary-spec digest §3). */
export function layoutSignatures(layout: string, subjectDigest: string): Array<{ bytes: Buffer; mediaType: string }> {
  const blobs = join(CORPUS, layout, 'blobs', 'sha256');
  const out: Array<{ bytes: Buffer; mediaType: string }> = [];
  for (const file of readdirSync(blobs).sort()) {
    const bytes = readFileSync(join(blobs, file));
    let manifest: { subject?: { digest?: string }; artifactType?: string; config?: { mediaType?: string }; layers?: Array<{ digest: string; mediaType: string }> };
    try {
      manifest = JSON.parse(bytes.toString('utf8')) as typeof manifest;
    } catch {
      continue;
    }
    const isSignature = manifest.artifactType === 'application/vnd.cncf.notary.signature' || manifest.config?.mediaType === 'application/vnd.cncf.notary.signature';
    const layer = manifest.layers?.[0];
    if (manifest.subject?.digest !== subjectDigest || !isSignature || !layer || manifest.layers?.length !== 1) continue;
    out.push({ bytes: readFileSync(join(blobs, layer.digest.replace('sha256:', ''))), mediaType: layer.mediaType });
  }
  return out;
}

export function sha(algorithm: 'sha256' | 'sha384' | 'sha512', bytes: Uint8Array): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
