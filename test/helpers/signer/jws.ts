import {
  HEADER_SIGNING_AGENT,
  HEADER_TIMESTAMP_SIGNATURE,
  PAYLOAD_CONTENT_TYPE,
} from '../../../shared/notary/constants.js';
import { algorithmForKey, defaultCrit, notaryHeaders, payloadBytesOf, signValue } from './common.js';
import type { SignOptions } from './options.js';

/** A Notary JWS envelope (flattened JSON serialization) as notation would write it, with breakable knobs. */
export function signJws(options: SignOptions): Buffer {
  const algorithm = options.algorithm ?? algorithmForKey(options.privateKey);
  const header: Record<string, unknown> = { alg: options.rawAlg ?? algorithm, crit: options.crit ?? defaultCrit(options), cty: options.contentType ?? PAYLOAD_CONTENT_TYPE };
  for (const [name, value] of notaryHeaders(options)) header[name] = value instanceof Date ? value.toISOString().replace('.000Z', 'Z') : value;
  Object.assign(header, options.extraProtected);
  for (const name of options.omitProtected ?? []) delete header[name];

  const protectedText = Buffer.from(JSON.stringify(header)).toString('base64url');
  const payload = payloadBytesOf(options).toString('base64url');
  const signature = signValue(options, algorithm, Buffer.from(`${protectedText}.${payload}`, 'ascii'));
  const unprotected: Record<string, unknown> = {
    x5c: options.rawChain ?? options.chain.map((der) => Buffer.from(der).toString('base64')),
    [HEADER_SIGNING_AGENT]: options.signingAgent ?? 'trustgate-test-signer/1',
  };
  if (options.timestamp) unprotected[HEADER_TIMESTAMP_SIGNATURE] = Buffer.from(options.timestamp(signature)).toString('base64');
  Object.assign(unprotected, options.extraUnprotected);
  return Buffer.from(JSON.stringify({ payload, protected: protectedText, header: unprotected, signature: signature.toString('base64url') }));
}
