import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import type { BenchImage } from './fixture.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const ACCEPT = `${OCI_MANIFEST}, ${OCI_INDEX}`;
const PS256_SALT_BYTES = 32;

interface JwsEnvelope {
  payload: string;
  protected: string;
  signature: string;
  header: { x5c: string[] };
}

/**
 * The floor: the least work any verifier must do for one image, with nothing of trustgate in it. Plain `fetch` for the
 * four registry round trips (HEAD the tag, GET the `sha256-<hex>` index, GET the signature manifest, GET the envelope),
 * then node:crypto: the PS256 signature over the JWS signing input, each certificate link leaf → root, the root against
 * the trust anchor, and the payload's digest against the resolved one. Parsed certificates are cached by DER (as
 * trustgate's caches are warm in production), so the floor does not pay for parsing either.
 */
export class Floor {
  private readonly parsed = new Map<string, X509Certificate>();

  constructor(
    private readonly baseUrl: string,
    private readonly repository: string,
    private readonly anchor: Uint8Array,
  ) {}

  /** One floor pass for `image`; throws when anything is not as pushed (the floor must do real work). */
  async run(image: BenchImage): Promise<void> {
    const head = await fetch(this.url(`manifests/${image.tag}`), { method: 'HEAD', headers: { accept: ACCEPT } });
    const digest = head.headers.get('docker-content-digest');
    if (head.status !== 200 || !digest) throw new Error(`floor: HEAD ${image.tag} → ${head.status}`);
    const index = (await this.getJson(`manifests/${digest.replace(':', '-')}`, OCI_INDEX)) as { manifests: Array<{ digest: string }> };
    const signature = (await this.getJson(`manifests/${index.manifests[0]?.digest}`, OCI_MANIFEST)) as { layers: Array<{ digest: string }> };
    const blob = await fetch(this.url(`blobs/${signature.layers[0]?.digest}`));
    const envelope = (await blob.json()) as JwsEnvelope;
    this.verifyEnvelope(envelope, digest);
  }

  private verifyEnvelope(envelope: JwsEnvelope, digest: string): void {
    const certs = envelope.header.x5c.map((b64) => this.certificate(b64));
    const leaf = certs[0] as X509Certificate;
    const signed = verify(
      'sha256',
      Buffer.from(`${envelope.protected}.${envelope.payload}`, 'ascii'),
      { key: leaf.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: PS256_SALT_BYTES },
      Buffer.from(envelope.signature, 'base64url'),
    );
    if (!signed) throw new Error('floor: signature does not verify');
    for (let i = 0; i + 1 < certs.length; i++) {
      if (!(certs[i] as X509Certificate).verify((certs[i + 1] as X509Certificate).publicKey)) throw new Error(`floor: link ${i} does not verify`);
    }
    if (!certs.at(-1)?.raw.equals(this.anchor)) throw new Error('floor: chain does not end at the anchor');
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64url').toString('utf8')) as { targetArtifact: { digest: string } };
    if (payload.targetArtifact.digest !== digest) throw new Error('floor: payload names another digest');
  }

  private certificate(b64: string): X509Certificate {
    const der = Buffer.from(b64, 'base64');
    const key = createHash('sha256').update(der).digest('hex');
    let cert = this.parsed.get(key);
    if (!cert) this.parsed.set(key, (cert = new X509Certificate(der)));
    return cert;
  }

  private async getJson(path: string, accept: string): Promise<unknown> {
    const response = await fetch(this.url(path), { headers: { accept } });
    if (response.status !== 200) throw new Error(`floor: GET ${path} → ${response.status}`);
    return response.json();
  }

  private url(path: string): string {
    return `${this.baseUrl}/v2/${this.repository}/${path}`;
  }
}
