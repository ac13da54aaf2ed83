import { describe, expect, it } from 'vitest';
import { createWebhookAuth, parseClientCaBundle } from '../../../shared/admission/index.js';
import { fixedClock, memoryLogger } from '../../../shared/core/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { addDays, createCa, createCertificate, PKI_NOW } from '../../helpers/pki/index.js';
import { EKU } from '../../helpers/pki/extensions.js';

const KEY = 'k3y-0123456789abcdef0123456789ABCDEF';
const clock = fixedClock(PKI_NOW);

const ca = createCa({ name: 'CN=cluster client CA' });
const otherCa = createCa({ name: 'CN=someone else' });
const clientLeaf = (options: Partial<Parameters<typeof createCertificate>[0]> = {}) =>
  createCertificate({
    name: 'CN=kube-apiserver',
    issuer: ca,
    basicConstraints: { ca: false },
    keyUsage: { bits: ['digitalSignature'] },
    eku: { oids: [EKU.clientAuth] },
    ...options,
  });
const header = (der: Buffer) => der.toString('base64');

describe('createWebhookAuth', () => {
  it('refuses to exist with neither a key nor a CA', async () => {
    await expectAppError(() => createWebhookAuth({}, clock), 'ERR_ADMISSION_AUTH_NOT_CONFIGURED', 'config');
    await expectAppError(() => createWebhookAuth({ pathKey: '  ', clientCaPem: '' }, clock), 'ERR_ADMISSION_AUTH_NOT_CONFIGURED', 'config');
  });

  it.each(['short', 'has/slash-0123456789abcdef0123456789', 'has space 0123456789abcdef0123456789'])('refuses the path key %s', async (pathKey) => {
    await expectAppError(() => createWebhookAuth({ pathKey }, clock), 'ERR_CONFIG', 'config');
  });

  it.each([
    ['no certificate', 'not a pem'],
    ['a leaf instead of a CA', clientLeaf().pem],
  ])('refuses a CA bundle with %s', async (_why, pem) => {
    await expectAppError(() => createWebhookAuth({ clientCaPem: pem }, clock), 'ERR_CONFIG', 'config');
  });
});

describe('path key', () => {
  const auth = createWebhookAuth({ pathKey: KEY }, clock);
  it('accepts the right key', () => {
    expect(() => auth.authorize({ pathKey: KEY, clientCertHeader: null })).not.toThrow();
  });
  it.each([
    ['missing', undefined],
    ['wrong', KEY.replace('k', 'K')],
    ['a prefix', KEY.slice(0, -1)],
    ['longer', `${KEY}x`],
    ['empty', ''],
  ])('refuses a %s key with ERR_UNAUTHORIZED', async (_why, pathKey) => {
    await expectAppError(() => auth.authorize({ pathKey, clientCertHeader: null }), 'ERR_UNAUTHORIZED');
  });
  it('never logs the presented key', () => {
    const logger = memoryLogger();
    const logged = createWebhookAuth({ pathKey: KEY }, clock, logger);
    expect(() => logged.authorize({ pathKey: 'guess-0123456789abcdef0123456789', clientCertHeader: null })).toThrow();
    expect(JSON.stringify(logger.entries)).not.toContain('guess');
  });
});

describe('client certificate (X-ARR-ClientCert)', () => {
  const auth = createWebhookAuth({ clientCaPem: `${otherCa.pem}\n${ca.pem}` }, clock);

  it('accepts a client certificate issued by a configured CA', () => {
    expect(() => auth.authorize({ pathKey: undefined, clientCertHeader: header(clientLeaf().der) })).not.toThrow();
  });

  it('accepts a certificate without an EKU extension', () => {
    expect(() => auth.authorize({ pathKey: undefined, clientCertHeader: header(clientLeaf({ name: 'CN=no-eku', eku: null }).der) })).not.toThrow();
  });

  const stranger = createCa({ name: 'CN=stranger CA' });
  it.each([
    ['missing', null],
    ['not base64 DER', 'bm90IGEgY2VydA=='],
    ['issued by an unknown CA', header(clientLeaf({ name: 'CN=x', issuer: stranger }).der)],
    ['with the right issuer name but a forged signature', header(clientLeaf({ name: 'CN=forged', signWith: stranger.privateKey }).der)],
    ['expired', header(clientLeaf({ name: 'CN=old', notBefore: addDays(PKI_NOW, -400), notAfter: addDays(PKI_NOW, -1) }).der)],
    ['not yet valid', header(clientLeaf({ name: 'CN=future', notBefore: addDays(PKI_NOW, 1) }).der)],
    ['for servers only', header(clientLeaf({ name: 'CN=server', eku: { oids: [EKU.serverAuth] } }).der)],
    ['a CA certificate', header(createCa({ name: 'CN=sub CA', issuer: ca }).der)],
  ])('refuses a certificate that is %s', async (_why, value) => {
    await expectAppError(() => auth.authorize({ pathKey: undefined, clientCertHeader: value }), 'ERR_UNAUTHORIZED');
  });

  it('refuses everything once the CA itself has expired', async () => {
    const late = createWebhookAuth({ clientCaPem: ca.pem }, fixedClock(addDays(PKI_NOW, 366)));
    await expectAppError(() => late.authorize({ pathKey: undefined, clientCertHeader: header(clientLeaf({ name: 'CN=long', notAfter: addDays(PKI_NOW, 900) }).der) }), 'ERR_UNAUTHORIZED');
  });
});

describe('both factors configured', () => {
  const auth = createWebhookAuth({ pathKey: KEY, clientCaPem: ca.pem }, clock);
  it('needs both', async () => {
    const good = header(clientLeaf().der);
    expect(() => auth.authorize({ pathKey: KEY, clientCertHeader: good })).not.toThrow();
    await expectAppError(() => auth.authorize({ pathKey: KEY, clientCertHeader: null }), 'ERR_UNAUTHORIZED');
    await expectAppError(() => auth.authorize({ pathKey: undefined, clientCertHeader: good }), 'ERR_UNAUTHORIZED');
  });
});

describe('parseClientCaBundle', () => {
  it('reads every certificate of a PEM bundle', () => {
    expect(parseClientCaBundle(`junk\n${ca.pem}\n${otherCa.pem}`)).toHaveLength(2);
  });
});
