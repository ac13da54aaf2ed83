import { hash, timingSafeEqual, type X509Certificate } from 'node:crypto';
import type { Clock, Logger } from '../core/index.js';
import { silentLogger } from '../core/index.js';
import { parseClientCaBundle, checkClientCertificate } from './client-cert.js';
import { AdmissionError } from './errors.js';

/**
 * How the API server / Gatekeeper proves itself. They cannot send function keys or custom headers, so the endpoint is
 * anonymous at the Functions level and checked here: a secret path segment and/or a client certificate.
 * Every configured factor must pass.
 */
export interface WebhookAuthOptions {
  /** Optional. The secret path segment (`…/validate/{key}`); 32–256 URL-safe characters. */
  pathKey?: string;
  /** Optional. PEM bundle of the CA(s) that issue the client certificates (TRUSTGATE_ADMISSION_CLIENT_CA). */
  clientCaPem?: string;
}

/** What the handler extracted from the HTTP request. */
export interface AuthInput {
  /** The `{key}` route parameter, if present. */
  pathKey: string | undefined;
  /** The X-ARR-ClientCert header, if present. */
  clientCertHeader: string | null;
}

export interface WebhookAuth {
  /** Throws AdmissionError ERR_UNAUTHORIZED (answered 401) when a configured factor fails. */
  authorize(input: AuthInput): void;
}

const PATH_KEY = /^[A-Za-z0-9_-]{32,256}$/;

/**
 * Builds the check. With neither a key nor a CA it refuses to build (ERR_ADMISSION_AUTH_NOT_CONFIGURED): an admission
 * endpoint that anyone can call must not exist. A malformed key or CA bundle is ERR_CONFIG.
 */
export function createWebhookAuth(options: WebhookAuthOptions, clock: Clock, logger: Logger = silentLogger): WebhookAuth {
  const key = options.pathKey?.trim() || undefined;
  const caPem = options.clientCaPem?.trim() || undefined;
  if (key === undefined && caPem === undefined) {
    throw new AdmissionError('ERR_ADMISSION_AUTH_NOT_CONFIGURED', 'config', 'admission endpoints need TRUSTGATE_ADMISSION_KEY and/or TRUSTGATE_ADMISSION_CLIENT_CA');
  }
  if (key !== undefined && !PATH_KEY.test(key)) {
    throw new AdmissionError('ERR_CONFIG', 'config', 'the admission path key must be 32–256 characters of A-Z a-z 0-9 _ -');
  }
  const keyDigest = key === undefined ? undefined : sha256(key);
  const anchors: X509Certificate[] | undefined = caPem === undefined ? undefined : parseClientCaBundle(caPem);
  return {
    authorize(input) {
      if (keyDigest !== undefined && !(input.pathKey !== undefined && timingSafeEqual(sha256(input.pathKey), keyDigest))) {
        logger.log('warn', 'admission.unauthorized', { factor: 'path-key', problem: input.pathKey === undefined ? 'missing' : 'mismatch' });
        throw unauthorized();
      }
      if (anchors !== undefined) {
        const problem = checkClientCertificate(input.clientCertHeader, anchors, clock.now());
        if (problem !== undefined) {
          logger.log('warn', 'admission.unauthorized', { factor: 'client-certificate', problem });
          throw unauthorized();
        }
      }
    },
  };
}

/** Equal-length digests make the comparison constant-time whatever the presented key's length. */
function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer'); // one-shot: no Hash object per request
}

function unauthorized(): AdmissionError {
  return new AdmissionError('ERR_UNAUTHORIZED', 'invalid-input', 'missing or wrong admission credentials');
}
