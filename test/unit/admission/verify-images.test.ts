import { describe, expect, it } from 'vitest';
import { checkImage, verifyImages } from '../../../shared/admission/index.js';
import { AppError, memoryLogger } from '../../../shared/core/index.js';
import { digestOf, FakeVerificationService } from './fake-verification.js';

const checked = (...images: string[]) => images.map((image) => checkImage(image));
const open = () => new AbortController().signal;

describe('verifyImages', () => {
  it('verifies each distinct image once, all at the same time, with the caller signal', async () => {
    const service = new FakeVerificationService();
    const signal = open();
    const results = await verifyImages(checked('r.test/a:1', 'r.test/b:1', 'r.test/a:1', 'r.test/c:1'), service, { deadline: { signal } });
    expect(service.calls.sort()).toEqual(['r.test/a:1', 'r.test/b:1', 'r.test/c:1']);
    expect(service.maxConcurrent).toBe(3);
    expect(service.signals.every((s) => s === signal)).toBe(true);
    expect([...results.keys()]).toEqual(['r.test/a:1', 'r.test/b:1', 'r.test/c:1']);
    expect(results.get('r.test/a:1')).toMatchObject({ decision: 'allow', digest: digestOf('r.test/a:1') });
  });

  it.each([
    ['r.test/unsigned:1', 'deny', 'ERR_NO_SIGNATURE'],
    ['r.test/untrusted:1', 'deny', 'ERR_UNTRUSTED_SIGNER'],
    ['r.test/flaky:1', 'inconclusive', 'ERR_REGISTRY_UNAVAILABLE'],
    ['r.test/boom:1', 'inconclusive', 'ERR_ADMISSION_VERIFY_FAILED'],
    ['r.test/bad-ref:1', 'deny', 'ERR_INVALID_REFERENCE'],
    ['Not A Reference', 'deny', 'ERR_INVALID_REFERENCE'],
  ])('%s → %s with %s', async (image, decision, code) => {
    const results = await verifyImages(checked(image), new FakeVerificationService(), { deadline: { signal: open() } });
    expect(results.get(image)).toMatchObject({ decision, reasons: [expect.objectContaining({ code })] });
  });

  it('never calls the service for a malformed reference', async () => {
    const service = new FakeVerificationService();
    await verifyImages(checked('registry.test/UPPER/case', 'a b', ''), service, { deadline: { signal: open() } });
    expect(service.calls).toEqual([]);
  });

  it('turns an internal AppError into inconclusive without leaking its message', async () => {
    const service = new FakeVerificationService(() => ({ kind: 'throw', error: new AppError('ERR_BUG', 'internal', 'secret path /etc/x') }));
    const results = await verifyImages(checked('r.test/a:1'), service, { deadline: { signal: open() } });
    expect(results.get('r.test/a:1')).toMatchObject({ decision: 'inconclusive', reasons: [{ code: 'ERR_BUG', message: 'internal error' }] });
  });

  it.each([
    ['no digest', { kind: 'allow' as const, digest: '' }, 'inconclusive', 'ERR_ADMISSION_NO_DIGEST'],
    ['a malformed digest', { kind: 'allow' as const, digest: 'sha256:XYZ' }, 'inconclusive', 'ERR_ADMISSION_NO_DIGEST'],
  ])('does not trust an allow verdict with %s', async (_why, behaviour, decision, code) => {
    const results = await verifyImages(checked('r.test/a:1'), new FakeVerificationService(() => behaviour), { deadline: { signal: open() } });
    expect(results.get('r.test/a:1')).toMatchObject({ decision, reasons: [{ code }] });
  });

  it('denies when the verified digest differs from the digest the pod pins', async () => {
    const pinned = `r.test/a@sha256:${'1'.repeat(64)}`;
    const results = await verifyImages(checked(pinned), new FakeVerificationService(() => ({ kind: 'allow', digest: `sha256:${'2'.repeat(64)}` })), { deadline: { signal: open() } });
    expect(results.get(pinned)).toMatchObject({ decision: 'deny', reasons: [{ code: 'ERR_ADMISSION_DIGEST_MISMATCH' }] });
  });

  it('answers when the signal fires: finished images keep their verdict, pending ones become inconclusive', async () => {
    const controller = new AbortController();
    const logger = memoryLogger();
    const service = new FakeVerificationService();
    const running = verifyImages(checked('r.test/a:1', 'r.test/slow:1'), service, { deadline: { signal: controller.signal }, logger });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    const results = await running;
    expect(results.get('r.test/a:1')?.decision).toBe('allow');
    expect(results.get('r.test/slow:1')).toMatchObject({ decision: 'inconclusive', reasons: [{ code: 'ERR_ADMISSION_DEADLINE' }] });
    expect(logger.entries.map((entry) => entry.event)).toContain('admission.deadline');
  });

  it('with an already-fired signal still answers every image', async () => {
    const controller = new AbortController();
    controller.abort();
    const results = await verifyImages(checked('r.test/slow:1', 'r.test/b:1'), new FakeVerificationService(), { deadline: { signal: controller.signal } });
    expect([...results.values()].map((r) => r.reasons[0]?.code)).toEqual(['ERR_ADMISSION_DEADLINE', 'ERR_ADMISSION_DEADLINE']);
  });
});

describe('verifyImages with a service that answers from memory', () => {
  /** Knows the verdicts of `known` (as verify would give them); everything else goes to verify. */
  class WarmService extends FakeVerificationService {
    readonly asked: string[] = [];
    constructor(private readonly known: Set<string>, private readonly throwing = false) {
      super();
    }
    cached(reference: string) {
      this.asked.push(reference);
      if (this.throwing) throw new Error('memory tier broke');
      if (!this.known.has(reference)) return undefined;
      return { subject: { reference, digest: digestOf(reference) }, decision: 'allow' as const, evidence: [], reasons: [], verifiedAt: '2026-11-01T00:00:00Z', expiresAt: '2026-11-01T01:00:00Z' };
    }
  }

  /** A deadline that records whether anything asked for its signal (a timer is made then). */
  const watchedDeadline = () => {
    const watched = { asked: 0, signal: open() };
    return { watched, deadline: { get signal() { watched.asked++; return watched.signal; } } };
  };

  it('a fully warm set is settled without verify and without making the deadline timer', async () => {
    const service = new WarmService(new Set(['r.test/a:1', 'r.test/b:1']));
    const { watched, deadline } = watchedDeadline();
    const results = await verifyImages(checked('r.test/a:1', 'r.test/b:1'), service, { deadline });
    expect(service.calls).toEqual([]);
    expect(watched.asked).toBe(0);
    expect(results.get('r.test/b:1')).toMatchObject({ decision: 'allow', digest: digestOf('r.test/b:1') });
  });

  it('verifies only what memory does not know, under the deadline', async () => {
    const service = new WarmService(new Set(['r.test/a:1']));
    const { watched, deadline } = watchedDeadline();
    const results = await verifyImages(checked('r.test/a:1', 'r.test/unsigned:1'), service, { deadline });
    expect(service.calls).toEqual(['r.test/unsigned:1']);
    expect(watched.asked).toBeGreaterThan(0);
    expect(results.get('r.test/unsigned:1')).toMatchObject({ decision: 'deny' });
  });

  it('a memory answer gets the same digest checks as a verified one (a pinned digest that differs is denied)', async () => {
    const pinned = `r.test/a:1@sha256:${'9'.repeat(64)}`;
    const service = new WarmService(new Set([pinned]));
    const results = await verifyImages(checked(pinned), service, { deadline: { signal: open() } });
    expect(results.get(pinned)).toMatchObject({ decision: 'deny', reasons: [expect.objectContaining({ code: 'ERR_ADMISSION_DIGEST_MISMATCH' })] });
  });

  it('a memory tier that throws falls back to verify', async () => {
    const service = new WarmService(new Set(), true);
    const results = await verifyImages(checked('r.test/a:1'), service, { deadline: { signal: open() } });
    expect(service.calls).toEqual(['r.test/a:1']);
    expect(results.get('r.test/a:1')).toMatchObject({ decision: 'allow' });
  });
});

describe('checkImage', () => {
  it('answers a repeated image with the same frozen check, malformed ones included', () => {
    const first = checkImage('nginx:1.27');
    expect(first).toEqual({ ok: true, image: 'nginx:1.27', name: 'docker.io/library/nginx' });
    expect(checkImage('nginx:1.27')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const bad = checkImage('registry.test/UPPER:1');
    expect(bad.ok).toBe(false);
    expect(checkImage('registry.test/UPPER:1')).toBe(bad);
  });

  it('still names the container of an empty image', () => {
    expect(checkImage('', 'web')).toMatchObject({ ok: false, message: 'container "web" has no image' });
    expect(checkImage(' ', 'sidecar')).toMatchObject({ ok: false, message: 'container "sidecar" has no image' });
  });
});
