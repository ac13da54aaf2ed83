import { describe, expect, it } from 'vitest';
import { parseCertificate, PkiError, validateCaProfile, validateCodeSigningChain, validateLeafProfile, validateTimestampingChain } from '../../../shared/pki/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { fixture, vectors } from './fixtures.js';

interface ChainVector { name: string; chain?: string[]; leafOnly?: string; caOnly?: string; expectedPathLen?: number; signingTime?: string; ok?: boolean; error?: string; errorContains?: string }
interface Vectors {
  codeSigningChain: ChainVector[];
  codeSigningCA: { cases: Array<{ cert: string; expectedPathLen: number; ok?: boolean; error?: string }> };
  codeSigningLeaf: Array<{ cert: string; ok?: boolean; error?: string }>;
  timestamping: ChainVector[];
}

const v = vectors<Vectors>('cert-requirements.json');
const load = (path: string) => parseCertificate(fixture(path));
const outcome = (work: () => unknown): string => {
  try {
    work();
    return 'ok';
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    return error.code;
  }
};

/** Error code trustgate gives for each reference error message (the rule, not the wording, is what is asserted). */
function expectedCode(message: string): string {
  if (/self-signed|not issued by/.test(message)) return 'ERR_CERT_CHAIN_INVALID';
  if (/key size/.test(message)) return 'ERR_KEY_UNSUPPORTED';
  return 'ERR_CERT_PROFILE';
}

describe('certificate requirements: notation-core-go vectors (spec §7)', () => {
  // Vectors with a signingTime exercise the signingAuthority time check (validAt), not the shape rules.
  const shapeCases = v.codeSigningChain.filter((c) => !c.signingTime);
  it.each(shapeCases.map((c) => [c.name, c] as const))('code-signing chain: %s', (_name, c) => {
    const got = outcome(() => validateCodeSigningChain((c.chain ?? []).map(load)));
    expect(got).toBe(c.ok ? 'ok' : expectedCode(c.error ?? ''));
  });

  it.each(v.codeSigningCA.cases.map((c) => [c.cert, c.expectedPathLen, c] as const))('code-signing CA %s with %i CAs below', (path, caBelow, c) => {
    const got = outcome(() => validateCaProfile(load(path), caBelow, 'codeSigning'));
    expect(got).toBe(c.ok ? 'ok' : expectedCode(c.error ?? ''));
  });

  it.each(v.codeSigningLeaf.map((c) => [c.cert, c] as const))('code-signing leaf %s', (path, c) => {
    const got = outcome(() => validateLeafProfile(load(path), 'codeSigning'));
    expect(got).toBe(c.ok ? 'ok' : expectedCode(c.error ?? ''));
  });

  const tsaLeaves = v.timestamping.filter((c) => c.leafOnly);
  it.each(tsaLeaves.map((c) => [c.name, c] as const))('timestamping leaf: %s', (_name, c) => {
    expect(outcome(() => validateLeafProfile(load(c.leafOnly ?? ''), 'timestamping'))).toBe(c.ok ? 'ok' : expectedCode(c.error ?? ''));
  });

  const tsaCas = v.timestamping.filter((c) => c.caOnly);
  it.each(tsaCas.map((c) => [c.name, c] as const))('timestamping CA: %s', (_name, c) => {
    expect(outcome(() => validateCaProfile(load(c.caOnly ?? ''), c.expectedPathLen ?? 0, 'timestamping'))).toBe(c.ok ? 'ok' : expectedCode(c.error ?? ''));
  });

  const tsaChains = v.timestamping.filter((c) => c.chain);
  it.each(tsaChains.map((c) => [c.name, c] as const))('timestamping chain: %s', (_name, c) => {
    const got = outcome(() => validateTimestampingChain((c.chain ?? []).map(load)));
    expect(got).toBe(c.ok ? 'ok' : expectedCode(c.error ?? c.errorContains ?? ''));
  });

  it('reports the empty chain with its own code', async () => {
    await expectAppError(() => validateCodeSigningChain([]), 'ERR_CERT_CHAIN_EMPTY', 'invalid-input');
  });
});
