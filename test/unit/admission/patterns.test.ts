import { describe, expect, it } from 'vitest';
import { compileImagePatterns, matchingPattern } from '../../../shared/admission/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

describe('image allow patterns', () => {
  it.each([
    ['mcr.microsoft.com/oss/kubernetes/**', 'mcr.microsoft.com/oss/kubernetes/pause', true],
    ['mcr.microsoft.com/oss/kubernetes/**', 'mcr.microsoft.com/oss/kubernetes/csi/azurefile', true],
    ['mcr.microsoft.com/oss/kubernetes/*', 'mcr.microsoft.com/oss/kubernetes/csi/azurefile', false],
    ['mcr.microsoft.com/oss/kubernetes/*', 'mcr.microsoft.com/oss/kubernetes/pause', true],
    ['mcr.microsoft.com/oss/kubernetes/**', 'mcr.microsoft.com.evil.io/oss/kubernetes/pause', false],
    ['mcr.microsoft.com/oss/kubernetes/**', 'evil.io/mcr.microsoft.com/oss/kubernetes/pause', false],
    ['*.azurecr.io/system/*', 'team.azurecr.io/system/agent', true],
    ['*.azurecr.io/system/*', 'evil.io/x.azurecr.io/system/agent', false],
    ['docker.io/library/busybox', 'docker.io/library/busybox', true],
    ['docker.io/library/busybox', 'docker.io/library/busybox2', false],
    ['localhost:5000/sys/**', 'localhost:5000/sys/a', true],
    ['Registry.K8s.io/pause', 'registry.k8s.io/pause', true],
  ])('%s vs %s → %s', (pattern, name, expected) => {
    expect(matchingPattern(compileImagePatterns([pattern]), name) !== undefined).toBe(expected);
  });

  it.each(['nginx', 'nginx*', '*/**', '**/x', '**.io/**', 'registry.test', 'registry.test/a b', 'registry.test/***', 'registry.test/a@sha256:00'])(
    'refuses the pattern %s',
    async (pattern) => {
      await expectAppError(() => compileImagePatterns([pattern]), 'ERR_CONFIG', 'config');
    },
  );
});
