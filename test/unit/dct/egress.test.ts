import { describe, expect, it } from 'vitest';
import { EgressPolicy } from '../../../shared/core/index.js';
import { createDct, verifyDct } from '../../helpers/notary-scheme.js';

const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 10 };
const rootKeys = ['e'.repeat(64)];

describe('dct trust-server reads go through the egress policy', () => {
  it('names the configured trust servers, so only they may be private or loopback', async () => {
    const scheme = await createDct({ trustRoots: { main: { rootKeys, server: 'http://127.0.0.1:4443' } }, servers: { 'registry.internal': 'https://notary.internal:8443' } });
    expect(scheme.egressHosts?.()).toEqual(expect.arrayContaining(['127.0.0.1:4443', '127.0.0.1', 'notary.internal:8443', 'notary.internal']));
  });

  it('never reaches a metadata address behind a trust server derived from the image (inconclusive, nothing fetched)', async () => {
    let connected = 0;
    const egress = new EgressPolicy({
      named: () => false,
      resolve: async () => ['169.254.169.254'],
      connect: async () => {
        connected++;
        return new Response('{}');
      },
    });
    const scheme = await createDct({ trustRoots: { main: { rootKeys } } }, egress.asFetch());
    const result = await verifyDct(scheme, { registry: 'attacker.example', repository: 'app', tag: 'v1', subject });
    expect(connected).toBe(0);
    expect(result.outcomes).toEqual([]);
    expect(result.unreachable.map((r) => r.code)).toEqual(['ERR_DCT_UNREACHABLE']);
  });
});
