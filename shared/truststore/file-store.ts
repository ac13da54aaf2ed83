/**
 * Trust stores in Notation's directory layout: `<root>/x509/{ca,signingAuthority,tsa}/<name>/<files>`
 * (spec "Trust Store"; reference notation-go verifier/truststore).
 *
 * Decisions where the spec and the reference differ (stricter answer, see the README's conformance notes):
 * - a sub-directory inside a named store makes the store invalid (spec: ignore with a warning; reference: error);
 * - only .pem/.crt/.cer/.der files are read and any other file makes the store invalid (spec: other extensions are
 *   ignored; reference: every file is read as a certificate);
 * - a file without any certificate is an error (reference: silently contributes nothing).
 * Symlinks (store directory or file) are refused, files are opened with O_NOFOLLOW, and reads are bounded.
 */
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import type { X509Certificate } from 'node:crypto';
import { extname, join } from 'node:path';
import { SingleFlight, silentLogger, systemClock } from '../core/index.js';
import type { Clock, Logger } from '../core/index.js';
import { parseCertificates, validateAnchors } from './certificates.js';
import {
  CERTIFICATE_EXTENSIONS,
  DEFAULT_MAX_CERTIFICATES_PER_STORE,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_FILES_PER_STORE,
  TRUST_STORE_ERROR_CODES as CODES,
  X509_DIR,
} from './constants.js';
import { TrustStoreError } from './errors.js';
import { TRUST_STORE_TYPES } from './port.js';
import type { TrustStore, TrustStoreType } from './port.js';
import { assertStoreRef, fingerprintLines, storeLine } from './store-ref.js';

export interface FileTrustStoreOptions {
  /** Required. The trust store root (the directory that contains `x509/`). */
  root: string;
  /** Optional. Default: silentLogger. Store loads and refusals are logged. */
  logger?: Logger;
  /** Optional. Default: 256. More entries in one named store make it invalid. */
  maxFilesPerStore?: number;
  /** Optional. Default: 1 MiB. A larger certificate file makes the store invalid. */
  maxFileBytes?: number;
  /** Optional. Default: 1024. More certificates in one named store make it invalid. */
  maxCertificatesPerStore?: number;
  /**
   * Optional. How long a look at the directory is trusted before the files are checked again, in ms. Every
   * verification asks for the fingerprint, so checking the disk each time would cost more than the crypto.
   * Default: 2000. 0 checks on every call.
   */
  recheckIntervalMs?: number;
  /** Optional. Default: the system clock. */
  clock?: Clock;
}

interface CacheEntry {
  /** Names, sizes, inodes and change times of the store's files when it was read. */
  stamp: string;
  certificates: readonly X509Certificate[];
  /** When the files were last compared with `stamp`. */
  checkedAtMs: number;
}

/** Reads named stores from disk; a store is re-read only when its files change (checked with lstat at most every recheckIntervalMs). */
export class FileTrustStore implements TrustStore {
  private readonly root: string;
  private readonly logger: Logger;
  private readonly maxFiles: number;
  private readonly maxFileBytes: number;
  private readonly maxCertificates: number;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly recheckMs: number;
  private readonly clock: Clock;
  private fingerprintMemo: { value: string; atMs: number } | undefined;
  private readonly fingerprintFlight = new SingleFlight<string>();

  constructor(options: FileTrustStoreOptions) {
    this.root = options.root;
    this.logger = options.logger ?? silentLogger;
    this.maxFiles = options.maxFilesPerStore ?? DEFAULT_MAX_FILES_PER_STORE;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxCertificates = options.maxCertificatesPerStore ?? DEFAULT_MAX_CERTIFICATES_PER_STORE;
    this.recheckMs = options.recheckIntervalMs ?? 2000;
    this.clock = options.clock ?? systemClock;
  }

  async getCertificates(type: TrustStoreType, name: string): Promise<readonly X509Certificate[]> {
    assertStoreRef(type, name);
    try {
      return await this.load(type, name);
    } catch (error) {
      if (error instanceof TrustStoreError) this.logger.log('warn', 'truststore.invalid', { type, name, code: error.code, message: error.message });
      throw error;
    }
  }

  /** Memoised for recheckMs; concurrent callers of a stale memo share one computation (finding: every call recomputed it). */
  async fingerprint(): Promise<string> {
    const nowMs = this.clock.now().getTime();
    if (this.fingerprintMemo && this.fresh(this.fingerprintMemo.atMs, nowMs)) return this.fingerprintMemo.value;
    return this.fingerprintFlight.run('fingerprint', () => this.computeFingerprint(nowMs));
  }

  private async computeFingerprint(nowMs: number): Promise<string> {
    const lines: string[] = [];
    for (const type of TRUST_STORE_TYPES) {
      for (const name of await this.storeNames(type)) {
        try {
          lines.push(storeLine(type, name, await this.load(type, name)));
        } catch (error) {
          if (!(error instanceof TrustStoreError)) throw error;
          lines.push(storeLine(type, name, { error: error.code }));
        }
      }
    }
    const value = fingerprintLines(lines);
    this.fingerprintMemo = { value, atMs: nowMs };
    return value;
  }

  /** A look taken at `atMs` still counts (a clock that moved backwards does not). */
  private fresh(atMs: number, nowMs: number): boolean {
    const elapsed = nowMs - atMs;
    return elapsed >= 0 && elapsed < this.recheckMs;
  }

  private async storeNames(type: TrustStoreType): Promise<string[]> {
    try {
      const entries = await readdir(join(this.root, X509_DIR, type));
      return entries.sort();
    } catch (error) {
      if (isNotFound(error)) return [];
      throw new TrustStoreError(CODES.unreadable, `cannot list trust stores of type ${type}`, { cause: error });
    }
  }

  private async load(type: TrustStoreType, name: string): Promise<readonly X509Certificate[]> {
    const directory = join(this.root, X509_DIR, type, name);
    const label = `trust store ${type}:${name}`;
    const nowMs = this.clock.now().getTime();
    const cached = this.cache.get(`${type}:${name}`);
    if (cached && this.fresh(cached.checkedAtMs, nowMs)) return cached.certificates;
    const files = await this.listFiles(directory, label);
    const stamp = files.map((f) => f.stamp).join('\n');
    if (cached && cached.stamp === stamp) {
      cached.checkedAtMs = nowMs;
      return cached.certificates;
    }

    const certificates: X509Certificate[] = [];
    for (const file of files) {
      const source = `${label}, file ${file.name}`;
      const loaded = parseCertificates(await this.readFile(join(directory, file.name), source), source);
      validateAnchors(type, loaded, source);
      certificates.push(...loaded);
      if (certificates.length > this.maxCertificates) throw new TrustStoreError(CODES.tooLarge, `${label} holds more than ${this.maxCertificates} certificates`);
    }
    if (certificates.length === 0) throw new TrustStoreError(CODES.empty, `${label} contains no certificate`);
    this.cache.set(`${type}:${name}`, { stamp, certificates, checkedAtMs: nowMs });
    this.logger.log('debug', 'truststore.loaded', { type, name, certificates: certificates.length });
    return certificates;
  }

  /** Checks the directory and every entry (no symlinks, no sub-directories, known extensions); sorted by name. */
  private async listFiles(directory: string, label: string): Promise<Array<{ name: string; stamp: string }>> {
    const info = await lstat(directory).catch((error: unknown) => {
      if (isNotFound(error)) throw new TrustStoreError(CODES.notFound, `${label} does not exist`);
      throw new TrustStoreError(CODES.unreadable, `${label} cannot be read`, { cause: error });
    });
    if (info.isSymbolicLink()) throw new TrustStoreError(CODES.symlink, `${label} is a symbolic link (not supported)`);
    if (!info.isDirectory()) throw new TrustStoreError(CODES.notDirectory, `${label} is not a directory`);
    const names = (await readdir(directory).catch((error: unknown) => {
      throw new TrustStoreError(CODES.unreadable, `${label} cannot be listed`, { cause: error });
    })).sort();
    if (names.length > this.maxFiles) throw new TrustStoreError(CODES.tooLarge, `${label} has more than ${this.maxFiles} entries`);
    const files: Array<{ name: string; stamp: string }> = [];
    for (const name of names) {
      const entry = await lstat(join(directory, name)).catch((error: unknown) => {
        throw new TrustStoreError(CODES.unreadable, `${label}: ${name} cannot be read`, { cause: error });
      });
      if (entry.isSymbolicLink()) throw new TrustStoreError(CODES.symlink, `${label}: ${name} is a symbolic link (not supported)`);
      if (entry.isDirectory()) throw new TrustStoreError(CODES.subdirectory, `${label}: ${name} is a sub-directory (not supported)`);
      if (!entry.isFile()) throw new TrustStoreError(CODES.entryUnsupported, `${label}: ${name} is not a regular file`);
      if (!CERTIFICATE_EXTENSIONS.includes(extname(name).toLowerCase())) {
        throw new TrustStoreError(CODES.entryUnsupported, `${label}: ${name} is not a certificate file (${CERTIFICATE_EXTENSIONS.join(', ')})`);
      }
      files.push({ name, stamp: `${name}\t${entry.size}\t${entry.ino}\t${entry.mtimeMs}\t${entry.ctimeMs}` });
    }
    return files;
  }

  /** Reads one file without following a symlink swapped in after the listing, and never more than the limit. */
  private async readFile(path: string, source: string): Promise<Uint8Array> {
    const handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW).catch((error: unknown) => {
      throw new TrustStoreError(CODES.unreadable, `${source} cannot be opened`, { cause: error });
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new TrustStoreError(CODES.entryUnsupported, `${source} is not a regular file`);
      if (info.size > this.maxFileBytes) throw new TrustStoreError(CODES.tooLarge, `${source} is larger than ${this.maxFileBytes} bytes`);
      // One spare byte detects a file that grew after fstat.
      const buffer = Buffer.alloc(info.size + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) throw new TrustStoreError(CODES.unreadable, `${source} changed while it was read`);
      }
      return buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}
