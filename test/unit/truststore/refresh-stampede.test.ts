import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as FsPromises from 'node:fs/promises';

/** Counts the directory reads and stats the store makes (the real fs answers them). */
const fsCalls = vi.hoisted(() => ({ readdir: 0, lstat: 0, failures: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const counted = <A extends unknown[], R>(name: 'readdir' | 'lstat', fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      fsCalls[name]++;
      return fn(...args).catch((error: unknown) => {
        fsCalls.failures++;
        throw error;
      });
    };
  return { ...real, readdir: counted('readdir', real.readdir as never), lstat: counted('lstat', real.lstat as never) };
});

const { ManualClock } = await import('../../../shared/core/index.js');
const { CompositeTrustStore, FileTrustStore, InlineTrustStore } = await import('../../../shared/truststore/index.js');

const FIXTURES = join(import.meta.dirname, '../../fixtures/truststore');
const CERT = readFileSync(join(FIXTURES, 'e2e-certs/localkeys/e2e.crt'));

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'trustgate-stampede-'));
  mkdirSync(join(root, 'x509', 'ca', 'prod'), { recursive: true });
  writeFileSync(join(root, 'x509', 'ca', 'prod', 'root.crt'), CERT);
  Object.assign(fsCalls, { readdir: 0, lstat: 0, failures: 0 });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('FileTrustStore under a refresh stampede', () => {
  it('640 concurrent fingerprints of an expired look: one scan, everyone answered from the last value, no ENOENT for absent types', async () => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    const store = new FileTrustStore({ root, clock, recheckIntervalMs: 2000 });
    const first = await store.fingerprint();
    // One scan: x509/ listed once, ca/ listed, the store directory listed and lstat'ed with its one file.
    expect(fsCalls).toEqual({ readdir: 3, lstat: 2, failures: 0 });

    clock.advance(2001);
    Object.assign(fsCalls, { readdir: 0, lstat: 0, failures: 0 });
    const prints = await Promise.all(Array.from({ length: 640 }, () => store.fingerprint()));
    expect(new Set(prints)).toEqual(new Set([first]));
    await store.settled();
    expect(fsCalls).toEqual({ readdir: 3, lstat: 2, failures: 0 }); // the old code: 2,560 readdir and 1,280 lstat

    Object.assign(fsCalls, { readdir: 0, lstat: 0, failures: 0 });
    const lookups = await Promise.all(Array.from({ length: 640 }, () => store.getCertificates('ca', 'prod')));
    expect(lookups.every((certs) => certs.length === 1)).toBe(true);
    expect(fsCalls.readdir + fsCalls.lstat).toBe(0); // the scan just looked: nothing to do on the request path
  });

  it('a change on disk reaches the fingerprint after one background scan', async () => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    const store = new FileTrustStore({ root, clock, recheckIntervalMs: 2000 });
    const first = await store.fingerprint();
    mkdirSync(join(root, 'x509', 'tsa', 'ts'), { recursive: true });
    writeFileSync(join(root, 'x509', 'tsa', 'ts', 'other.crt'), readFileSync(join(FIXTURES, 'e2e-certs/timestamp/globalsignTSARoot.cer')));
    clock.advance(2001);
    expect(await store.fingerprint()).toBe(first);
    await store.settled();
    expect(await store.fingerprint()).not.toBe(first);
  });

  it('a clock that moved back before the last look makes it stale: the next call looks again (recheck 0 or not)', async () => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    const store = new FileTrustStore({ root, clock, recheckIntervalMs: 0 });
    clock.advance(2 * 86_400_000);
    const later = await store.fingerprint();
    clock.advance(-2 * 86_400_000);
    mkdirSync(join(root, 'x509', 'ca', 'more'), { recursive: true });
    writeFileSync(join(root, 'x509', 'ca', 'more', 'root.crt'), CERT);
    expect(await store.fingerprint()).not.toBe(later);
  });

  it('the composite hashes its members only when one changed', async () => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    const inline = new InlineTrustStore({ stores: { 'ca:inline': CERT.toString('utf8') } });
    const composite = new CompositeTrustStore([new FileTrustStore({ root, clock }), inline]);
    const a = await composite.fingerprint();
    expect(await composite.fingerprint()).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('currentFingerprint: the fingerprint without I/O, only while no re-check is due', () => {
  it('a directory store knows it while fresh, not once a re-check is due, and again after fingerprint() looked', async () => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    const store = new FileTrustStore({ root, clock, recheckIntervalMs: 2000 });
    expect(store.currentFingerprint()).toBeUndefined(); // never looked yet
    const first = await store.fingerprint();
    Object.assign(fsCalls, { readdir: 0, lstat: 0, failures: 0 });
    expect(store.currentFingerprint()).toBe(first);
    expect(fsCalls).toEqual({ readdir: 0, lstat: 0, failures: 0 });

    clock.advance(2001);
    expect(store.currentFingerprint()).toBeUndefined();
    writeFileSync(join(root, 'x509', 'ca', 'prod', 'second.crt'), CERT.toString().replace(/\n/g, '\r\n'));
    await store.fingerprint(); // the stale value, and the one background re-check
    await store.settled();
    const changed = store.currentFingerprint();
    expect(changed).toBeDefined();
    expect(changed).not.toBe(first);
  });

  it('a composite store knows it only when every member does and it has combined those prints', async () => {
    const clock = new ManualClock('2026-06-01T00:00:00Z');
    const files = new FileTrustStore({ root, clock, recheckIntervalMs: 2000 });
    const composite = new CompositeTrustStore([new InlineTrustStore({ stores: { 'ca:inline': CERT.toString() } }), files]);
    expect(composite.currentFingerprint()).toBeUndefined();
    const combined = await composite.fingerprint();
    expect(composite.currentFingerprint()).toBe(combined);
    clock.advance(2001);
    expect(composite.currentFingerprint()).toBeUndefined();
  });
});
