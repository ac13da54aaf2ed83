import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';

const run = promisify(execFile);

/**
 * Drives the real `notary` client (0.7) the way `docker trust` does: its own trust_dir in a temp directory,
 * passphrases from NOTARY_*_PASSPHRASE, publishing to the given notary-server.
 */
export interface NotaryClient {
  trustDir: string;
  notary(...args: string[]): Promise<string>;
  /** init + publish: creates root, targets and snapshot keys locally (the server makes the timestamp key). */
  init(gun: string): Promise<void>;
  /** Signs `manifest` as `tag` (into `role`, default targets) and publishes. */
  sign(gun: string, tag: string, manifest: Uint8Array, role?: string): Promise<void>;
  /** Adds a delegation with a fresh ECDSA key + self-signed certificate, imports its key, publishes; returns the cert PEM. */
  addDelegation(gun: string, role: string): Promise<string>;
  /** `notary key rotate <gun> root` (answers its confirmation prompt): a new root key, the rotation signed by the old one too. */
  rotateRoot(gun: string): Promise<void>;
  /** The root key's canonical id, as `notary key list` (and ~/.docker/trust/private/<id>.key) shows it. */
  rootKeyId(): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createNotaryClient(serverUrl: string): Promise<NotaryClient> {
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-notary-client-'));
  const trustDir = join(dir, 'trust');
  const config = join(dir, 'client.json');
  await writeFile(config, JSON.stringify({ trust_dir: trustDir, remote_server: { url: serverUrl } }));
  const env = {
    ...process.env,
    NOTARY_ROOT_PASSPHRASE: 'root-pass-phrase',
    NOTARY_TARGETS_PASSPHRASE: 'targets-pass-phrase',
    NOTARY_SNAPSHOT_PASSPHRASE: 'snapshot-pass-phrase',
    NOTARY_DELEGATION_PASSPHRASE: 'delegation-pass-phrase',
  };
  let counter = 0;
  const notary = async (...args: string[]): Promise<string> => {
    try {
      const { stdout } = await run('notary', ['-c', config, ...args], { env, timeout: 30_000 });
      return stdout;
    } catch (error) {
      const failure = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`notary ${args.join(' ')} failed: ${failure.message}\n${failure.stdout ?? ''}${failure.stderr ?? ''}`, { cause: error });
    }
  };
  return {
    trustDir,
    notary,
    async init(gun) {
      await notary('init', gun);
      await notary('publish', gun);
    },
    async sign(gun, tag, manifest, role) {
      const file = join(dir, `manifest-${++counter}.json`);
      await writeFile(file, manifest);
      await notary('add', gun, tag, file, ...(role ? ['--roles', role] : []));
      await notary('publish', gun);
    },
    async addDelegation(gun, role) {
      const keyFile = join(dir, `delegation-${++counter}.key`);
      const certFile = join(dir, `delegation-${counter}.crt`);
      await writeFile(keyFile, delegationKeyPem());
      const certPem = selfSignedCertificate(keyFile, role.replace(/[^a-zA-Z0-9]/g, '-'));
      await writeFile(certFile, certPem);
      await notary('delegation', 'add', gun, role, certFile, '--all-paths');
      await notary('publish', gun);
      await notary('key', 'import', keyFile, '--role', role);
      return certPem;
    },
    async rotateRoot(gun) {
      await new Promise<void>((resolve, reject) => {
        const child = execFile('notary', ['-c', config, 'key', 'rotate', gun, 'root'], { env, timeout: 30_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`notary key rotate failed: ${error.message}\n${stdout}${stderr}`, { cause: error })) : resolve(),
        );
        child.stdin?.end('yes\n');
      });
    },
    async rootKeyId() {
      const listing = await notary('key', 'list');
      const line = listing.split('\n').find((row) => /^\s*root\s/.test(row));
      const id = line?.match(/[a-f0-9]{64}/)?.[0];
      if (!id) throw new Error(`no root key in:\n${listing}`);
      return id;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A fresh P-256 private key (PKCS#8 PEM, unencrypted: `notary key import` encrypts it with the delegation passphrase). */
function delegationKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Notary accepts any x509 certificate as a delegation key. */
function selfSignedCertificate(keyFile: string, commonName: string): string {
  return execFileSync('openssl', ['req', '-new', '-x509', '-key', keyFile, '-subj', `/CN=${commonName}`, '-days', '30'], { encoding: 'utf8' });
}
