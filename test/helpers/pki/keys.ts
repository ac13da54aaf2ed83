import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Key types the test PKI can make; the first six are the ones Notary accepts (spec §7.2). */
export type KeyType = 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'ec-p256' | 'ec-p384' | 'ec-p521' | 'rsa-1024' | 'ec-p224';

export interface KeyPair {
  readonly type: KeyType;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const CURVES: Record<string, string> = { 'ec-p256': 'prime256v1', 'ec-p384': 'secp384r1', 'ec-p521': 'secp521r1', 'ec-p224': 'secp224r1' };

// Key generation dominates the cost of the test PKI (RSA-4096 takes around a second), so every key is made once
// per (type, label) per run: kept in memory per file, and in the run's key pool directory (TRUSTGATE_TEST_KEY_POOL,
// made by test/helpers/global-setup.ts) for the other test files, which run in other processes.
const memo = new Map<string, KeyPair>();

/**
 * The key pair for `label` of the given type, generated on first use. Certificates of one chain must use
 * different labels (the same key on issuer and subject makes the child look self-signed).
 */
export function keyFor(type: KeyType, label: string): KeyPair {
  const id = `${type}/${label}`;
  const known = memo.get(id);
  if (known) return known;
  const pair = pooled(type, label) ?? generate(type);
  memo.set(id, pair);
  return pair;
}

/** The pooled key for (type, label), generated and stored when the pool does not have it yet. */
function pooled(type: KeyType, label: string): KeyPair | undefined {
  const pool = process.env['TRUSTGATE_TEST_KEY_POOL'];
  if (!pool) return undefined;
  const file = join(pool, `${type}-${createHash('sha256').update(label).digest('hex').slice(0, 32)}.pem`);
  try {
    const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    return { type, privateKey, publicKey: createPublicKey(privateKey) };
  } catch {
    const pair = generate(type);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    renameSync(temporary, file); // atomic: a concurrent reader sees the whole key or none
    return pair;
  }
}

function generate(type: KeyType): KeyPair {
  if (type.startsWith('rsa-')) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: Number(type.slice(4)) });
    return { type, privateKey, publicKey };
  }
  const namedCurve = CURVES[type];
  if (!namedCurve) throw new Error(`unknown key type ${type}`);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  return { type, privateKey, publicKey };
}

/** The hash conventionally paired with a key (Notary §7.2): 2048/P-256 → sha256, 3072/P-384 → sha384, 4096/P-521 → sha512. */
export function pairedHash(type: KeyType): HashName {
  switch (type) {
    case 'rsa-3072':
    case 'ec-p384':
      return 'sha384';
    case 'rsa-4096':
    case 'ec-p521':
      return 'sha512';
    default:
      return 'sha256';
  }
}

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';
