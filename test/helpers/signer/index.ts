export { signJws } from './jws.js';
export { signCose } from './cose.js';
export { algorithmForKey, ALGORITHM_KEY_TYPES, DEFAULT_SIGNING_TIME } from './common.js';
export type { SignOptions, CoseSignOptions } from './options.js';
