import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../shared/oci/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

describe('parseChallenge', () => {
  it.each([
    ['Basic realm="registry"', { scheme: 'basic', realm: 'registry' }],
    ['basic', { scheme: 'basic' }],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      { scheme: 'bearer', realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    ],
    ['BEARER  realm = "https://r.example/token" , service=reg', { scheme: 'bearer', realm: 'https://r.example/token', service: 'reg' }],
    ['Bearer realm="https://r.example/t",scope="repository:a:pull repository:b:pull"', { scheme: 'bearer', realm: 'https://r.example/t', scope: 'repository:a:pull repository:b:pull' }],
    ['Bearer realm="https://r.example/t",service="say \\"hi\\""', { scheme: 'bearer', realm: 'https://r.example/t', service: 'say "hi"' }],
    ['Bearer realm="https://r.example/t", Basic realm="other"', { scheme: 'bearer', realm: 'https://r.example/t' }],
    ['Bearer realm="http://127.0.0.1:5001/token"', { scheme: 'bearer', realm: 'http://127.0.0.1:5001/token' }],
  ])('%s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });

  it.each([
    [null],
    [''],
    ['Bearer'],
    ['Bearer service="x"'],
    ['Bearer realm="/relative/token"'],
    ['Bearer realm="ftp://r.example/token"'],
    ['Bearer realm="https://r.example/token'],
    ['Bearer ,,,=""'],
    ['Negotiate abc'],
    ['Digest realm="x", nonce="y"'],
    ['"quoted"'],
    [`Bearer realm="https://r.example/${'x'.repeat(5000)}"`],
  ])('rejects %j with ERR_AUTH_CHALLENGE', async (header) => {
    await expectAppError(() => parseChallenge(header), 'ERR_AUTH_CHALLENGE', 'inconclusive');
  });
});
