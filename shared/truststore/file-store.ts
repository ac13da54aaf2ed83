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
import type { Dirent } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { X509Certificate } from 'node:crypto';
import { extname, join } from 'node:path';
import { RefreshingMap, silentLogger, systemClock } from '../core/index.js';
import type { Clock, Logger, Timed } from '../core/index.js';
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

/** What one named store held at its last look: its certificates, or why it is invalid. */
interface StoreState {
  /** Names, sizes, inodes and change times of the store's files when it was read (undefined when unlistable). */
  stamp: string | undefined;
  content: readonly X509Certificate[] | TrustStoreError;
}

/** A failing disk (not an invalid store) may keep the last look in use this much longer, ms. */
const MAX_STALE_MS = 60_000;
/** Certificate parsing yields to the event loop after this much synchronous work, ms. */
const PARSE_SLICE_MS = 8;
const FINGERPRINT_KEY = 'fingerprint';

/**
 * Reads named stores from disk; a store is re-read only when its files change (checked with lstat at most every
 * recheckIntervalMs). Looks at the disk happen off the request path: once a store or the fingerprint has been
 * read, callers get the last look at once while one re-check runs in the background (stale-while-revalidate,
 * one flight per store and one scan at a time).
 */
export class FileTrustStore implements TrustStore {
  private readonly root: string;
  private readonly logger: Logger;
  private readonly maxFiles: number;
  private readonly maxFileBytes: number;
  private readonly maxCertificates: number;
  private readonly recheckMs: number;
  private readonly clock: Clock;
  private readonly stores: RefreshingMap<StoreState>;
  private readonly fingerprints: RefreshingMap<string>;
  /** Last state read per store, kept so an unchanged stamp reuses the parsed certificates. */
  private readonly lastRead = new Map<string, StoreState>();

  constructor(options: FileTrustStoreOptions) {
    this.root = options.root;
    this.logger = options.logger ?? silentLogger;
    this.maxFiles = options.maxFilesPerStore ?? DEFAULT_MAX_FILES_PER_STORE;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxCertificates = options.maxCertificatesPerStore ?? DEFAULT_MAX_CERTIFICATES_PER_STORE;
    this.recheckMs = options.recheckIntervalMs ?? 2000;
    this.clock = options.clock ?? systemClock;
    const onBackgroundError = (key: string, error: unknown) => this.logger.log('warn', 'truststore.recheck_failed', { store: key, message: (error as Error).message });
    this.stores = new RefreshingMap<StoreState>({ maxEntries: 4096, retryAfterMs: Math.max(this.recheckMs, 100), onBackgroundError });
    this.fingerprints = new RefreshingMap<string>({ maxEntries: 1, retryAfterMs: Math.max(this.recheckMs, 100), onBackgroundError });
  }

  async getCertificates(type: TrustStoreType, name: string): Promise<readonly X509Certificate[]> {
    assertStoreRef(type, name);
    const state = await this.stores.getOrRefresh(`${type}:${name}`, this.nowMs(), () => this.timed(this.read(type, name)));
    if (state.content instanceof TrustStoreError) {
      this.logger.log('warn', 'truststore.invalid', { type, name, code: state.content.code, message: state.content.message });
      throw state.content;
    }
    return state.content;
  }

  async fingerprint(): Promise<string> {
    return this.fingerprints.getOrRefresh(FINGERPRINT_KEY, this.nowMs(), () => this.timed(this.scan()));
  }

  currentFingerprint(): string | undefined {
    return this.fingerprints.fresh(FINGERPRINT_KEY, this.nowMs());
  }

  /** Looks at the disk now (every store and the fingerprint) and waits for it; for timers and tests. */
  async refresh(): Promise<void> {
    await this.fingerprints.refreshNow(FINGERPRINT_KEY, () => this.timed(this.scan()));
  }

  /** Resolves when the background re-checks under way have finished (tests). */
  async settled(): Promise<void> {
    await Promise.all([this.stores.settled(), this.fingerprints.settled()]);
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private async timed<V>(work: Promise<V>): Promise<Timed<V>> {
    const value = await work;
    const at = this.nowMs();
    const freshUntil = at + this.recheckMs;
    // recheckIntervalMs 0 means "look every call": nothing is served stale then.
    return { value, freshUntil, usableUntil: this.recheckMs > 0 ? freshUntil + MAX_STALE_MS : at, storedAt: at };
  }

  /**
   * One look at every store: the x509/ directory is listed once, so absent type directories (signingAuthority/,
   * tsa/ are often missing) cost nothing and throw nothing. Each store is re-read (not served stale) here.
   */
  private async scan(): Promise<string> {
    const lines: string[] = [];
    for (const type of await this.presentTypes()) {
      for (const name of await this.storeNames(type)) {
        const state = await this.stores.refreshNow(`${type}:${name}`, () => this.timed(this.read(type, name)));
        lines.push(storeLine(type, name, state.content instanceof TrustStoreError ? { error: state.content.code } : state.content));
      }
    }
    return fingerprintLines(lines);
  }

  private async presentTypes(): Promise<TrustStoreType[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(this.root, X509_DIR), { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return [];
      throw new TrustStoreError(CODES.unreadable, 'cannot list the trust store types', { cause: error });
    }
    const present = new Set(entries.filter((entry) => entry.isDirectory() || entry.isSymbolicLink()).map((entry) => entry.name));
    return TRUST_STORE_TYPES.filter((type) => present.has(type));
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

  /** One store from disk; an invalid store is a state (remembered like a valid one), not a throw. */
  private async read(type: TrustStoreType, name: string): Promise<StoreState> {
    const key = `${type}:${name}`;
    let state: StoreState;
    try {
      state = await this.load(type, name, this.lastRead.get(key));
    } catch (error) {
      if (!(error instanceof TrustStoreError)) throw error;
      state = { stamp: undefined, content: error };
    }
    this.lastRead.delete(key);
    if (this.lastRead.size >= 4096) this.lastRead.delete(this.lastRead.keys().next().value as string);
    this.lastRead.set(key, state);
    return state;
  }

  private async load(type: TrustStoreType, name: string, previous: StoreState | undefined): Promise<StoreState> {
    const directory = join(this.root, X509_DIR, type, name);
    const label = `trust store ${type}:${name}`;
    const files = await this.listFiles(directory, label);
    const stamp = files.map((f) => f.stamp).join('\n');
    if (previous && previous.stamp === stamp && !(previous.content instanceof TrustStoreError)) return previous;

    const certificates: X509Certificate[] = [];
    let sliceStart = performance.now();
    for (const file of files) {
      const source = `${label}, file ${file.name}`;
      const loaded = parseCertificates(await this.readFile(join(directory, file.name), source), source);
      validateAnchors(type, loaded, source);
      certificates.push(...loaded);
      if (certificates.length > this.maxCertificates) throw new TrustStoreError(CODES.tooLarge, `${label} holds more than ${this.maxCertificates} certificates`);
      if (performance.now() - sliceStart > PARSE_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve)); // a large first load must not hold the event loop
        sliceStart = performance.now();
      }
    }
    if (certificates.length === 0) throw new TrustStoreError(CODES.empty, `${label} contains no certificate`);
    this.logger.log('debug', 'truststore.loaded', { type, name, certificates: certificates.length });
    return { stamp, content: certificates };
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
