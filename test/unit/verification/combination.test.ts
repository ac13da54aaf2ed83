import { describe, expect, it } from 'vitest';
import type { EvidenceScheme, SchemePlan, SchemeRequest, SchemeResult } from '../../../shared/scheme/index.js';
import { DefaultVerificationService } from '../../../shared/verification/index.js';
import type { VerificationPolicyDocument } from '../../../shared/verification-policy/index.js';
import { FakeRegistry, IMAGE, fakeChecker, serviceOptions } from './fakes.js';

type Behaviour = 'ok' | 'fail' | 'none-found' | 'unreachable' | 'skip' | 'no-config';

/** A scheme whose answer is scripted: ok (accepted by `root`), fail, nothing found, unreachable, level skip, not configured. */
function fakeScheme(name: string, behaviour: Behaviour, root = 'r1'): EvidenceScheme & { calls: SchemeRequest[] } {
  const calls: SchemeRequest[] = [];
  const plan: SchemePlan = behaviour === 'skip' ? { kind: 'skip', policy: { name: `${name}-policy` } } : behaviour === 'no-config' ? { kind: 'none' } : { kind: 'verify' };
  return {
    name,
    calls,
    trustRootNames: () => [root, 'r2'],
    plan: () => plan,
    fingerprint: async () => name,
    verify: async (request): Promise<SchemeResult> => {
      calls.push(request);
      switch (behaviour) {
        case 'ok':
          return { outcomes: [{ scheme: name, evidence: `sha256:${name}`, trustRoot: root, ok: true, checks: [] }], unreachable: [] };
        case 'fail':
          return { outcomes: [{ scheme: name, evidence: `sha256:${name}`, ok: false, checks: [], error: { code: 'ERR_BAD', message: 'bad' } }], unreachable: [] };
        case 'unreachable':
          return { outcomes: [], unreachable: [{ code: 'ERR_REGISTRY_UNAVAILABLE', message: `${name} unreachable` }] };
        default:
          return { outcomes: [], unreachable: [] };
      }
    },
  };
}

function policyOf(require: unknown): VerificationPolicyDocument {
  return { version: '1', schemes: {}, policies: [{ name: 'team', registryScopes: ['*'], require: require as VerificationPolicyDocument['policies'][number]['require'] }] };
}

async function decide(require: unknown, schemes: Record<string, Behaviour>, reference = 'registry.test/app:v1') {
  const registry = new FakeRegistry();
  registry.tags.set('v1', IMAGE);
  const built = Object.entries(schemes).map(([name, behaviour]) => fakeScheme(name, behaviour));
  const options = { ...serviceOptions({ registry, checker: fakeChecker({}).checker }), schemes: built, verificationPolicy: { document: policyOf(require), fingerprint: 'p' } };
  const verdict = await new DefaultVerificationService(options).verify(reference);
  return { verdict, registry, built };
}

const anyOf = (...items: unknown[]) => ({ mode: 'anyOf', items });
const allOf = (...items: unknown[]) => ({ mode: 'allOf', items });
const atLeast = (count: number, ...items: unknown[]) => ({ mode: 'atLeast', count, items });
const A = { scheme: 'a' };
const B = { scheme: 'b' };
const C = { scheme: 'c' };

describe('combining evidence across schemes', () => {
  it.each([
    ['anyOf: one ok is enough', anyOf(A, B), { a: 'fail', b: 'ok' }, 'allow'],
    ['anyOf: all failed', anyOf(A, B), { a: 'fail', b: 'none-found' }, 'deny'],
    ['anyOf: one failed, one unreachable', anyOf(A, B), { a: 'fail', b: 'unreachable' }, 'inconclusive'],
    ['anyOf: ok wins over unreachable', anyOf(A, B), { a: 'unreachable', b: 'ok' }, 'allow'],
    ['allOf: every item ok', allOf(A, B), { a: 'ok', b: 'ok' }, 'allow'],
    ['allOf: one failed', allOf(A, B), { a: 'ok', b: 'fail' }, 'deny'],
    ['allOf: one unreachable could still make it', allOf(A, B), { a: 'ok', b: 'unreachable' }, 'inconclusive'],
    ['allOf: one failed and one unreachable cannot make it', allOf(A, B), { a: 'fail', b: 'unreachable' }, 'deny'],
    ['atLeast 2 of 3: two ok', atLeast(2, A, B, C), { a: 'ok', b: 'fail', c: 'ok' }, 'allow'],
    ['atLeast 2 of 3: one ok', atLeast(2, A, B, C), { a: 'ok', b: 'fail', c: 'none-found' }, 'deny'],
    ['atLeast 2 of 3: one ok, one unreachable', atLeast(2, A, B, C), { a: 'ok', b: 'fail', c: 'unreachable' }, 'inconclusive'],
    ['level skip satisfies its item', allOf(A, B), { a: 'skip', b: 'ok' }, 'allow'],
    ['a scheme with no configuration for the scope cannot satisfy', allOf(A, B), { a: 'no-config', b: 'ok' }, 'deny'],
  ] as const)('%s', async (_name, require, schemes, decision) => {
    const { verdict } = await decide(require, schemes);
    expect(verdict.decision).toBe(decision);
  });

  it('an item naming a trust root is satisfied only by evidence that root accepted', async () => {
    expect((await decide(anyOf({ scheme: 'a', trustRoot: 'r1' }), { a: 'ok' })).verdict.decision).toBe('allow');
    const other = await decide(anyOf({ scheme: 'a', trustRoot: 'r2' }), { a: 'ok' });
    expect(other.verdict.decision).toBe('deny');
    expect(other.built[0]?.calls[0]?.trustRoots).toEqual(['r2']);
  });

  it('skip for every required item allows without any registry call, for tag and digest references alike', async () => {
    for (const reference of ['registry.test/app:v1', `registry.test/app@${IMAGE.digest}`]) {
      const { verdict, registry } = await decide(allOf(A, B), { a: 'skip', b: 'skip' }, reference);
      expect(verdict.decision).toBe('allow');
      expect(verdict.reasons.map((r) => r.code)).toEqual(['OK_VERIFICATION_SKIPPED', 'OK_VERIFICATION_SKIPPED']);
      expect(registry.calls).toEqual([]);
    }
  });

  it('denies without a registry call when the requirement cannot be met by any configured scheme', async () => {
    const { verdict, registry } = await decide(allOf(A, B), { a: 'no-config', b: 'ok' });
    expect(verdict.reasons.map((r) => r.code)).toEqual(['ERR_NO_TRUST_POLICY']);
    expect(registry.calls).toEqual([]);
  });

  it('keeps every scheme\'s evidence and says why an all-of failed', async () => {
    const { verdict } = await decide(allOf(A, B), { a: 'ok', b: 'fail' });
    expect(verdict.evidence.map((e) => [e.scheme, e.ok])).toEqual([['a', true], ['b', false]]);
    expect(verdict.reasons).toEqual([
      { code: 'ERR_SIGNATURE_VERIFICATION_FAILED', message: 'b signature sha256:b: bad (ERR_BAD)' },
      { code: 'ERR_SIGNATURE_VERIFICATION_FAILED', message: 'allOf [a, b] not met' },
    ]);
  });

  it('reports only the unreachable reasons that could change the answer', async () => {
    const { verdict } = await decide(anyOf(A, B), { a: 'fail', b: 'unreachable' });
    expect(verdict.reasons).toEqual([{ code: 'ERR_REGISTRY_UNAVAILABLE', message: 'b unreachable' }]);
  });

  it('denies a scope no verification policy covers', async () => {
    const registry = new FakeRegistry();
    const document: VerificationPolicyDocument = { version: '1', schemes: {}, policies: [{ name: 't', registryScopes: ['registry.test/team/*'], require: { mode: 'anyOf', items: [A] } }] };
    const options = { ...serviceOptions({ registry, checker: fakeChecker({}).checker }), schemes: [fakeScheme('a', 'ok')], verificationPolicy: { document, fingerprint: 'p' } };
    const verdict = await new DefaultVerificationService(options).verify('registry.test/app:v1');
    expect([verdict.decision, verdict.reasons[0]?.code]).toEqual(['deny', 'ERR_NO_TRUST_POLICY']);
    expect(registry.calls).toEqual([]);
  });
});
