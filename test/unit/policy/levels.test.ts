import { describe, expect, it } from 'vitest';
import { CHECK_NAMES, LEVEL_TABLE, resolveLevel } from '../../../shared/policy/index.js';
import type { CheckAction, OverridableCheck, SignatureVerification } from '../../../shared/policy/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const LEVELS = ['strict', 'permissive', 'audit'] as const;
const OVERRIDABLE: OverridableCheck[] = ['authenticity', 'authenticTimestamp', 'expiry', 'revocation'];
const allowed = (check: OverridableCheck): CheckAction[] => (check === 'revocation' ? ['enforce', 'log', 'skip'] : ['enforce', 'log']);

describe('resolveLevel', () => {
  const everyOverride = LEVELS.flatMap((level) => OVERRIDABLE.flatMap((check) => allowed(check).map((action) => [level, check, action] as const)));

  it.each(everyOverride)('%s with %s=%s replaces exactly that cell', (level, check, action) => {
    const resolved = resolveLevel({ level, override: { [check]: action } });
    expect(resolved.actions).toEqual({ ...LEVEL_TABLE[level], [check]: action });
    expect(resolved.level).toBe(level);
  });

  it('integrity stays enforced whatever else is overridden', () => {
    for (const [level, check, action] of everyOverride) {
      expect(resolveLevel({ level, override: { [check]: action } }).actions.integrity).toBe('enforce');
    }
  });

  it('skip skips every check', () => {
    expect(Object.values(resolveLevel({ level: 'skip' }).actions)).toEqual(CHECK_NAMES.map(() => 'skip'));
  });

  it.each([
    [{ level: 'strict' }, 'always'],
    [{ level: 'strict', verifyTimestamp: 'always' }, 'always'],
    [{ level: 'audit', verifyTimestamp: 'afterCertExpiry' }, 'afterCertExpiry'],
  ] as Array<[SignatureVerification, string]>)('verifyTimestamp of %j is %s', (verification, option) => {
    expect(resolveLevel(verification).verifyTimestamp).toBe(option);
  });

  it.each([
    { level: 'strict', override: { integrity: 'enforce' } },
    { level: 'strict', override: { expiry: 'skip' } },
    { level: 'skip', override: { revocation: 'skip' } },
    { level: 'lenient' },
    { level: 'strict', verifyTimestamp: 'never' },
  ])('refuses %j with ERR_TRUST_POLICY_INVALID', async (verification) => {
    await expectAppError(() => resolveLevel(verification as unknown as SignatureVerification), 'ERR_TRUST_POLICY_INVALID', 'config');
  });

  it('returns a fresh actions object (callers may not corrupt the table)', () => {
    const resolved = resolveLevel({ level: 'strict' });
    resolved.actions.authenticity = 'log';
    expect(LEVEL_TABLE.strict.authenticity).toBe('enforce');
  });
});
