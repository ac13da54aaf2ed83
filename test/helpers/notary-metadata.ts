import { constants, createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalJson, tufKeyId } from '../../shared/dct/index.js';
import type { KeyType as TufKeyType, TufKey } from '../../shared/dct/index.js';
import { createCertificate, keyFor } from './pki/index.js';
import type { KeyType as PkiKeyType } from './pki/index.js';

/**
 * Builds Notary-shaped TUF repositories signed by test keys of every type Notary uses, for what the real
 * notary client cannot be made to publish (a delegation signed by an unknown key, thresholds, rotated roots…).
 * The shapes follow what notary-server 0.7 serves (see test/fixtures/dct/).
 */
export interface TestTufKey {
  type: TufKeyType;
  tuf: TufKey;
  id: string;
  privateKey: KeyObject;
  sign(message: Buffer): { method: string; sig: string };
}

let counter = 0;

export function testTufKey(type: TufKeyType, label = `k${++counter}`, rsaMethod: 'rsapss' | 'rsapkcs1v15' = 'rsapss'): TestTufKey {
  const pkiType: PkiKeyType = type.startsWith('rsa') ? 'rsa-2048' : 'ec-p256';
  const pair = type === 'ed25519' ? undefined : keyFor(pkiType, `dct-${label}`);
  const ed = type === 'ed25519' ? edKey(label) : undefined;
  const privateKey = pair?.privateKey ?? (ed as { privateKey: KeyObject }).privateKey;
  let publicBytes: Buffer;
  if (type === 'ed25519') publicBytes = Buffer.from((ed as { publicKey: KeyObject }).publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  else if (type === 'ecdsa' || type === 'rsa') publicBytes = (pair as { publicKey: KeyObject }).publicKey.export({ type: 'spki', format: 'der' });
  else publicBytes = Buffer.from(createCertificate({ name: `CN=${label}`, key: pair as NonNullable<typeof pair> }).pem, 'utf8');
  const tuf: TufKey = { keytype: type, keyval: { public: publicBytes.toString('base64'), private: null } };
  const method = type === 'ed25519' ? 'eddsa' : type.startsWith('rsa') ? rsaMethod : 'ecdsa';
  return {
    type,
    tuf,
    id: tufKeyId(type, publicBytes),
    privateKey,
    sign(message) {
      let sig: Buffer;
      if (method === 'eddsa') sig = sign(null, message, privateKey);
      else if (method === 'ecdsa') sig = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      else if (method === 'rsapss') sig = sign('sha256', message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
      else sig = sign('sha256', message, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
      return { method, sig: sig.toString('base64') };
    },
  };
}

const edKeys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
function edKey(label: string): { privateKey: KeyObject; publicKey: KeyObject } {
  let pair = edKeys.get(label);
  if (!pair) {
    pair = generateKeyPairSync('ed25519');
    edKeys.set(label, pair);
  }
  return pair;
}

/** `{"signed":…,"signatures":[…]}` signed over the canonical form by every key given. */
export function signEnvelope(signed: Record<string, unknown>, keys: readonly TestTufKey[]): Buffer {
  const message = Buffer.from(canonicalJson(signed), 'utf8');
  return Buffer.from(JSON.stringify({ signed, signatures: keys.map((key) => ({ keyid: key.id, ...key.sign(message) })) }));
}

/** `{"length","hashes":{"sha256","sha512"}}` of some bytes, as Notary writes file meta and targets. */
export function fileMeta(bytes: Uint8Array): { length: number; hashes: { sha256: string; sha512: string } } {
  return { length: bytes.byteLength, hashes: { sha256: createHash('sha256').update(bytes).digest('base64'), sha512: createHash('sha512').update(bytes).digest('base64') } };
}

export interface TestDelegation {
  name: string;
  /** Keys the parent lists for the role. */
  listed: TestTufKey[];
  /** Keys that actually sign the role. Default: listed. */
  signers?: TestTufKey[];
  threshold?: number;
  paths?: string[];
  targets: Record<string, Uint8Array>;
  version?: number;
  expires?: string;
}

export interface TestRepoOptions {
  rootKeys: TestTufKey[];
  /** Keys that sign root.json. Default: rootKeys. */
  rootSigners?: TestTufKey[];
  targetsKey: TestTufKey;
  snapshotKey: TestTufKey;
  timestampKey: TestTufKey;
  targets: Record<string, Uint8Array>;
  delegations?: TestDelegation[];
  version?: number;
  expires?: string;
  timestampExpires?: string;
}

const FAR = '2030-01-01T00:00:00Z';

/** role name → served bytes (root, timestamp, snapshot, targets, delegations). */
export function buildRepo(options: TestRepoOptions): Map<string, Buffer> {
  const version = options.version ?? 1;
  const expires = options.expires ?? FAR;
  const files = new Map<string, Buffer>();
  const all = [...options.rootKeys, options.targetsKey, options.snapshotKey, options.timestampKey];
  const root = signEnvelope(
    {
      _type: 'Root',
      consistent_snapshot: false,
      expires,
      version,
      keys: Object.fromEntries(all.map((key) => [key.id, key.tuf])),
      roles: {
        root: { keyids: options.rootKeys.map((key) => key.id), threshold: 1 },
        targets: { keyids: [options.targetsKey.id], threshold: 1 },
        snapshot: { keyids: [options.snapshotKey.id], threshold: 1 },
        timestamp: { keyids: [options.timestampKey.id], threshold: 1 },
      },
    },
    options.rootSigners ?? options.rootKeys,
  );
  files.set('root', root);
  const targetsOf = (entries: Record<string, Uint8Array>) => Object.fromEntries(Object.entries(entries).map(([name, bytes]) => [name, fileMeta(bytes)]));
  const delegations = options.delegations ?? [];
  const delegationKeys = Object.fromEntries(delegations.flatMap((d) => d.listed.map((key) => [key.id, key.tuf])));
  const targets = signEnvelope(
    {
      _type: 'Targets',
      delegations: { keys: delegationKeys, roles: delegations.map((d) => ({ name: d.name, keyids: d.listed.map((key) => key.id), threshold: d.threshold ?? 1, paths: d.paths ?? [''] })) },
      expires,
      targets: targetsOf(options.targets),
      version,
    },
    [options.targetsKey],
  );
  files.set('targets', targets);
  for (const d of delegations) {
    const body = { _type: 'Targets', delegations: { keys: {}, roles: [] }, expires: d.expires ?? expires, targets: targetsOf(d.targets), version: d.version ?? version };
    files.set(d.name, signEnvelope(body, d.signers ?? d.listed));
  }
  const snapshot = signEnvelope(
    { _type: 'Snapshot', expires, version, meta: Object.fromEntries([...files].map(([name, bytes]) => [name, fileMeta(bytes)])) },
    [options.snapshotKey],
  );
  files.set('snapshot', snapshot);
  files.set('timestamp', signEnvelope({ _type: 'Timestamp', expires: options.timestampExpires ?? expires, version, meta: { snapshot: fileMeta(snapshot) } }, [options.timestampKey]));
  return files;
}

/** A FetchLike serving a repo at `https://notary.test/v2/<gun>/_trust/tuf/<role>.json` (404 otherwise), recording URLs. */
export function serveRepo(gun: string, files: () => Map<string, Buffer>, seen: string[] = []): (input: string | URL, init?: RequestInit) => Promise<Response> {
  const prefix = `/v2/${gun}/_trust/tuf/`;
  return (input) => {
    const url = new URL(input.toString());
    seen.push(url.href);
    const role = url.pathname.startsWith(prefix) && url.pathname.endsWith('.json') ? url.pathname.slice(prefix.length, -'.json'.length) : undefined;
    const body = role === undefined ? undefined : files().get(role);
    return Promise.resolve(body ? new Response(new Uint8Array(body), { status: 200 }) : new Response('not found', { status: 404 }));
  };
}
