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
