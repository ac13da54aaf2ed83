export { signJws } from './jws.js';
export { signCose } from './cose.js';
export { algorithmForKey, DEFAULT_SIGNING_TIME } from './common.js';
export type { SignOptions, CoseSignOptions } from './options.js';
