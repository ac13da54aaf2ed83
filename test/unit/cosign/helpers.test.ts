import { describe, expect, it } from 'vitest';
import { parseBoundedJson } from '../../../shared/cosign/bounded-json.js';
import { referenceMatches } from '../../../shared/cosign/payload.js';
import { signatureTag } from '../../../shared/cosign/legacy-evidence.js';
import { expectAppError } from '../../helpers/expect-error.js';

describe('bounded JSON', () => {
  it('refuses oversize and overdeep input before parsing, and non-JSON as malformed', async () => {
    await expectAppError(() => parseBoundedJson('x'.repeat(11), 10, 't'), 'ERR_COSIGN_TOO_LARGE', 'invalid-input');
    await expectAppError(() => parseBoundedJson('['.repeat(33) + ']'.repeat(33), 1000, 't'), 'ERR_COSIGN_TOO_LARGE');
    await expectAppError(() => parseBoundedJson('{', 10, 't'), 'ERR_COSIGN_MALFORMED');
    expect(parseBoundedJson('['.repeat(32) + ']'.repeat(32), 1000, 't')).toBeInstanceOf(Array);
    // Brackets inside strings do not nest.
    expect(parseBoundedJson(`{"a":"${'['.repeat(40)}"}`, 1000, 't')).toEqual({ a: '['.repeat(40) });
  });
});

describe('docker-reference comparison', () => {
  const repo = { registry: 'docker.io', repository: 'library/nginx' };
  it.each([
    ['docker.io/library/nginx', repo, true],
    ['index.docker.io/library/nginx', repo, true],
    ['docker.io/nginx', repo, true],
    ['docker.io/library/nginx:1.27', repo, true],
    [`docker.io/library/nginx@sha256:${'a'.repeat(64)}`, repo, true],
    ['docker.io/library/nginx-evil', repo, false],
    ['myreg.example:5000/team/app', { registry: 'myreg.example:5000', repository: 'team/app' }, true],
    ['myreg.example:5000/team/app', { registry: 'myreg.example', repository: 'team/app' }, false],
    ['ghcr.io/team/app', { registry: 'myreg.example', repository: 'team/app' }, false],
  ])('%s vs %j → %s', (reference, repository, same) => {
    expect(referenceMatches(reference, repository)).toBe(same);
  });
});

it('the .sig tag follows cosign: sha256-<hex>.sig', () => {
  expect(signatureTag(`sha256:${'f'.repeat(64)}`)).toBe(`sha256-${'f'.repeat(64)}.sig`);
});
