/**
 * Trust anchors given as PEM in configuration, e.g. `{"ca:acme": "-----BEGIN CERTIFICATE-----..."}`.
 * Everything is parsed and vetted once, in the constructor, with the same rules as the file store.
 */
import type { X509Certificate } from 'node:crypto';
import { parseCertificates, validateAnchors } from './certificates.js';
import { PEM_CERTIFICATE_LABEL, TRUST_STORE_ERROR_CODES as CODES } from './constants.js';
import { TrustStoreError } from './errors.js';
import type { TrustStore, TrustStoreType } from './port.js';
import { assertStoreRef, fingerprintLines, storeLine } from './store-ref.js';

export interface InlineTrustStoreOptions {
  /** Required. `type:name` → one PEM text (several certificates allowed) or a list of them. */
  stores: Readonly<Record<string, string | readonly string[]>>;
}

export class InlineTrustStore implements TrustStore {
  private readonly stores = new Map<string, readonly X509Certificate[]>();
  private readonly print: string;

  /** Throws TrustStoreError for a malformed key, a non-certificate PEM, an invalid anchor or an empty store. */
  constructor(options: InlineTrustStoreOptions) {
    const lines: string[] = [];
    for (const [key, value] of Object.entries(options.stores)) {
      const separator = key.indexOf(':');
      if (separator < 0) throw new TrustStoreError(CODES.configInvalid, `inline trust store key "${key}" is not <type>:<name>`);
      const type = key.slice(0, separator);
      const name = key.slice(separator + 1);
      assertStoreRef(type, name);
      const certificates = (typeof value === 'string' ? [value] : value).flatMap((pem, i) => {
        const source = `inline trust store ${key} #${i + 1}`;
        if (!pem.includes(`-----BEGIN ${PEM_CERTIFICATE_LABEL}-----`)) throw new TrustStoreError(CODES.certificateInvalid, `${source} is not PEM`);
        const parsed = parseCertificates(Buffer.from(pem, 'utf8'), source);
        validateAnchors(type, parsed, source);
        return parsed;
      });
      if (certificates.length === 0) throw new TrustStoreError(CODES.empty, `inline trust store ${key} contains no certificate`);
      this.stores.set(`${type}:${name}`, certificates);
      lines.push(storeLine(type, name, certificates));
    }
    this.print = fingerprintLines(lines);
  }

  async getCertificates(type: TrustStoreType, name: string): Promise<readonly X509Certificate[]> {
    assertStoreRef(type, name);
    const certificates = this.stores.get(`${type}:${name}`);
    if (!certificates) throw new TrustStoreError(CODES.notFound, `trust store ${type}:${name} is not configured inline`);
    return certificates;
  }

  async fingerprint(): Promise<string> {
    return this.print;
  }

  currentFingerprint(): string {
    return this.print;
  }
}
