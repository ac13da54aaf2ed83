import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Descriptor, ImageIndex, ImageManifest } from '../../shared/oci/types.js';

/**
 * Test-only helpers that push content to a registry over plain `fetch` (deliberately not through
 * RegistryClient, so tests of the client do not depend on it). Works against docker-registry 2.8
 * (upload = POST then PUT) and the in-process fake registry; handles Basic and Bearer challenges.
 */
export interface PushTarget {
  /** Required. Base URL of the registry, e.g. `http://127.0.0.1:5000`. */
  baseUrl: string;
  /** Optional. Basic credentials (sent on a Basic challenge, or to the token realm on a Bearer challenge). */
  credentials?: { username: string; password: string };
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
export const NOTARY_SIGNATURE = 'application/vnd.cncf.notary.signature';
const ACCEPT = [OCI_MANIFEST, OCI_INDEX, 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', ');

/** `sha256:<hex>` of the bytes. */
export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The referrers tag schema's tag for a digest (`sha256:abc` → `sha256-abc`). */
export function referrersTag(digest: string): string {
  const [algorithm = '', encoded = ''] = digest.split(':');
  return `${algorithm.slice(0, 32)}-${encoded.slice(0, 64)}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** Uploads a blob (POST then PUT with `?digest=`) and returns its descriptor. */
export async function pushBlob(target: PushTarget, repository: string, bytes: Uint8Array | string, mediaType = 'application/octet-stream'): Promise<Descriptor> {
  const body = Buffer.from(bytes);
  const digest = sha256Digest(body);
  const start = await send(target, repository, `/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  await expectStatus(start, [202], 'blob upload start');
  const location = new URL(start.headers.get('location') ?? '', target.baseUrl);
  location.searchParams.set('digest', digest);
  const put = await send(target, repository, location.toString(), { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
  await expectStatus(put, [201], 'blob upload');
  return { mediaType, digest, size: body.length };
}

/** PUTs a manifest or index under `reference` (a tag; default: its own digest) and returns its descriptor. */
export async function pushManifest(
  target: PushTarget,
  repository: string,
  manifest: ImageManifest | ImageIndex | Uint8Array,
  options: { mediaType?: string; tag?: string } = {},
): Promise<Descriptor> {
  const body = manifest instanceof Uint8Array ? Buffer.from(manifest) : Buffer.from(JSON.stringify(manifest));
  const mediaType = options.mediaType ?? (manifest instanceof Uint8Array ? OCI_MANIFEST : (manifest.mediaType ?? OCI_MANIFEST));
  const digest = sha256Digest(body);
  const response = await send(target, repository, `/v2/${repository}/manifests/${options.tag ?? digest}`, { method: 'PUT', body, headers: { 'content-type': mediaType } });
  await expectStatus(response, [201], `manifest ${options.tag ?? digest}`);
  return { mediaType, digest, size: body.length };
}

/** Pushes a small random image (config + one layer + manifest), optionally tagged, and returns the manifest descriptor. */
export async function pushRandomImage(target: PushTarget, repository: string, options: { tag?: string } = {}): Promise<Descriptor> {
  const config = await pushBlob(target, repository, JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, nonce: randomBytes(8).toString('hex') }), 'application/vnd.oci.image.config.v1+json');
  const layer = await pushBlob(target, repository, randomBytes(64), 'application/vnd.oci.image.layer.v1.tar');
  return pushManifest(target, repository, { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }, options.tag ? { tag: options.tag } : {});
}

export interface SignatureOptions {
  /** Optional. 'oci-1.1' (artifactType + empty config, notation ≥ 1.1) or 'legacy' (config media type = signature type). Default: 'oci-1.1'. */
  form?: 'oci-1.1' | 'legacy';
  /** Optional. Manifest annotations (also copied to the returned descriptor, as a referrers index lists them). */
  annotations?: Record<string, string>;
}

/**
 * Pushes a Notary signature manifest whose single layer is the envelope and whose `subject` is the signed
 * manifest (notary-spec §3). Returns the descriptor as a referrers index would list it (with artifactType).
 */
export async function pushSignature(
  target: PushTarget,
  repository: string,
  subject: Descriptor,
  envelope: Uint8Array | string,
  envelopeMediaType: string,
  options: SignatureOptions = {},
): Promise<Descriptor> {
  const form = options.form ?? 'oci-1.1';
  const configType = form === 'oci-1.1' ? OCI_EMPTY : NOTARY_SIGNATURE;
  const config = await pushBlob(target, repository, '{}', configType);
  const layer = await pushBlob(target, repository, envelope, envelopeMediaType);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    ...(form === 'oci-1.1' ? { artifactType: NOTARY_SIGNATURE } : {}),
    config,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  const descriptor = await pushManifest(target, repository, manifest);
  return { ...descriptor, artifactType: NOTARY_SIGNATURE, ...(options.annotations ? { annotations: options.annotations } : {}) };
}

/**
 * Writes the referrers tag schema index (`sha256-<hex>` tag) for `subject`, merged with the index already
 * there (like notation does). Push the referrers first: the registry refuses an index with missing children.
 */
export async function pushReferrersIndex(target: PushTarget, repository: string, subject: Descriptor, referrers: Descriptor[]): Promise<Descriptor> {
  const tag = referrersTag(subject.digest);
  const existing = await getManifest(target, repository, tag);
  const previous = existing && (existing.json as ImageIndex).manifests ? (existing.json as ImageIndex).manifests : [];
  const manifests = [...previous.filter((old) => !referrers.some((r) => r.digest === old.digest)), ...referrers];
  return pushManifest(target, repository, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, { tag });
}

/** GETs a manifest by tag or digest; undefined on 404. */
export async function getManifest(target: PushTarget, repository: string, reference: string): Promise<{ mediaType: string; bytes: Buffer; json: unknown } | undefined> {
  const response = await send(target, repository, `/v2/${repository}/manifests/${reference}`, { headers: { accept: ACCEPT } });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  await expectStatus(response, [200], `manifest ${reference}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { mediaType: response.headers.get('content-type') ?? '', bytes, json: JSON.parse(bytes.toString('utf8')) };
}

const authCache = new Map<string, string>();

/** One request with the cached Authorization for (registry, repository); answers one 401 challenge. */
async function send(target: PushTarget, repository: string, pathOrUrl: string, init: RequestInit): Promise<Response> {
  const url = new URL(pathOrUrl, target.baseUrl).toString();
  const key = `${target.baseUrl}|${repository}|${target.credentials?.username ?? ''}`;
  const withAuth = (authorization: string | undefined): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), ...(authorization ? { authorization } : {}) } });
  const first = await fetch(url, withAuth(authCache.get(key)));
  if (first.status !== 401) return first;
  const challenge = first.headers.get('www-authenticate') ?? '';
  await first.body?.cancel();
  const authorization = await answerChallenge(target, repository, challenge);
  authCache.set(key, authorization);
  return fetch(url, withAuth(authorization));
}

async function answerChallenge(target: PushTarget, repository: string, challenge: string): Promise<string> {
  const basic = target.credentials ? `Basic ${Buffer.from(`${target.credentials.username}:${target.credentials.password}`).toString('base64')}` : undefined;
  if (/^basic/i.test(challenge)) {
    if (!basic) throw new Error('registry wants basic auth but no credentials were given');
    return basic;
  }
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  if (!params.realm) throw new Error(`unsupported challenge: ${challenge}`);
  const realm = new URL(params.realm);
  if (params.service) realm.searchParams.set('service', params.service);
  realm.searchParams.set('scope', `repository:${repository}:pull,push`);
  const response = await fetch(realm, { headers: basic ? { authorization: basic } : {} });
  await expectStatus(response, [200], 'token request');
  const body = (await response.json()) as { token?: string; access_token?: string };
  return `Bearer ${body.token ?? body.access_token}`;
}

async function expectStatus(response: Response, expected: number[], what: string): Promise<void> {
  if (expected.includes(response.status)) return;
  const text = await response.text().catch(() => '');
  throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 500)}`);
}

/** What `pushOciLayout` pushed: every manifest of the layout's index.json, with its tag when it has one. */
export interface PushedLayoutManifest {
  descriptor: Descriptor;
  tag?: string;
}

const REF_NAME = 'org.opencontainers.image.ref.name';

/**
 * Pushes an OCI image layout directory (image-spec image-layout.md) into a repository: every blob, then the
 * manifests listed in `index.json` (tagged by their `org.opencontainers.image.ref.name`) in an order the
 * registry accepts: plain manifests, then manifests with a `subject`, then indexes.
 */
export async function pushOciLayout(target: PushTarget, repository: string, layoutDir: string): Promise<PushedLayoutManifest[]> {
  const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as ImageIndex;
  const blobDir = join(layoutDir, 'blobs', 'sha256');
  for (const name of await readdir(blobDir)) await pushBlob(target, repository, await readFile(join(blobDir, name)));
  const read = async (d: Descriptor): Promise<Buffer> => readFile(join(blobDir, d.digest.replace('sha256:', '')));
  const rank = async (d: Descriptor): Promise<number> => (d.mediaType === OCI_INDEX ? 2 : (JSON.parse((await read(d)).toString('utf8')) as ImageManifest).subject ? 1 : 0);
  const ranked = await Promise.all(index.manifests.map(async (d) => ({ d, rank: await rank(d) })));
  const pushed: PushedLayoutManifest[] = [];
  for (const { d } of ranked.sort((a, b) => a.rank - b.rank)) {
    const tag = d.annotations?.[REF_NAME];
    const descriptor = await pushManifest(target, repository, await read(d), { mediaType: d.mediaType, ...(tag ? { tag } : {}) });
    pushed.push({ descriptor, ...(tag ? { tag } : {}) });
  }
  return pushed;
}
