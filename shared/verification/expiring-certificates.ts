import type { X509Certificate } from 'node:crypto';
import type { CachedVerdict } from '../cache/index.js';
import type { Logger } from '../core/index.js';
import type { TrustgateEvent } from '../events/index.js';
import { trustStoreRefs, type TrustPolicyDocument } from '../policy/index.js';
import type { TrustStore } from '../truststore/index.js';

/**
 * Certificates that stop being valid within the warning window: trust anchors of every store the policy
 * names, and the signing certificates of the verdicts given. Each becomes a log line and an event.
 */
export async function expiringCertificates(input: {
  policy: TrustPolicyDocument;
  trustStore: TrustStore;
  verdicts: readonly CachedVerdict[];
  at: Date;
  windowMs: number;
  logger: Logger;
  /** Optional. Told each readable store's days to its nearest anchor expiry (negative once expired). */
  onStoreExpiry?: (store: string, days: number) => void;
}): Promise<TrustgateEvent[]> {
  const horizon = input.at.getTime() + input.windowMs;
  const events: TrustgateEvent[] = [];
  const seen = new Set<string>();
  for (const ref of uniqueStoreRefs(input.policy)) {
    let certificates: readonly X509Certificate[];
    try {
      certificates = await input.trustStore.getCertificates(ref.type, ref.name);
    } catch (error) {
      input.logger.log('warn', 'recheck.trust_store_unreadable', { store: `${ref.type}:${ref.name}`, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const nearest = Math.min(...certificates.map((cert) => Date.parse(cert.validTo)));
    if (certificates.length > 0) input.onStoreExpiry?.(`${ref.type}:${ref.name}`, Math.floor((nearest - input.at.getTime()) / 86_400_000));
    for (const cert of certificates) {
      const thumbprint = cert.fingerprint256.replaceAll(':', '').toLowerCase();
      if (Date.parse(cert.validTo) > horizon || seen.has(thumbprint)) continue;
      seen.add(thumbprint);
      events.push(expiring({ where: 'trustStore', certificateSubject: cert.subject.replaceAll('\n', ', '), thumbprint, notAfter: new Date(cert.validTo).toISOString(), store: `${ref.type}:${ref.name}` }));
    }
  }
  for (const { verdict, key } of input.verdicts) {
    for (const outcome of verdict.evidence) {
      const signer = outcome.signer;
      if (!outcome.ok || !signer?.notAfter || Date.parse(signer.notAfter) > horizon) continue;
      const image = `${key.registry}/${key.repository}@${key.digest}`;
      events.push(expiring({ where: 'signature', certificateSubject: signer.subject, thumbprint: signer.thumbprints?.[0] ?? '', notAfter: signer.notAfter, image }));
    }
  }
  for (const event of events) input.logger.log('warn', 'certificate.expiring', event.data);
  return events;
}

function expiring(data: Extract<TrustgateEvent, { type: 'Trustgate.CertificateExpiring' }>['data']): TrustgateEvent {
  return { type: 'Trustgate.CertificateExpiring', subject: data.image ?? data.store ?? data.thumbprint, data };
}

function uniqueStoreRefs(policy: TrustPolicyDocument) {
  const refs = new Map<string, ReturnType<typeof trustStoreRefs>[number]>();
  for (const statement of policy.trustPolicies) {
    if (statement.signatureVerification.level === 'skip') continue;
    for (const ref of trustStoreRefs(statement)) refs.set(`${ref.type}:${ref.name}`, ref);
  }
  return [...refs.values()];
}
