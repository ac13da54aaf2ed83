import type { CachedVerdict, ResultCache } from '../cache/index.js';
import type { Clock, Logger } from '../core/index.js';
import type { EventPublisher, TrustgateEvent } from '../events/index.js';
import type { TrustPolicyDocument } from '../policy/index.js';
import type { TrustStore } from '../truststore/index.js';
import { REASON } from './codes.js';
import { expiringCertificates } from './expiring-certificates.js';
import type { DefaultVerificationService } from './service.js';
import type { Metrics } from '../telemetry/index.js';

export interface RecheckOptions {
  /** Required. */
  service: DefaultVerificationService;
  /** Required. The durable tier (Table) in production; the memory tier locally. */
  cache: ResultCache;
  /** Required. */
  policy: TrustPolicyDocument;
  /** Required. */
  trustStore: TrustStore;
  /** Optional. Re-reads remote trust stores (Key Vault) before the run. Default: nothing to refresh. */
  refreshTrustStores?: () => Promise<unknown>;
  /** Required. */
  clock: Clock;
  /** Required. */
  logger: Logger;
  /** Required. VerdictChanged and CertificateExpiring go here. */
  publisher: EventPublisher;
  /** Required. Verdicts re-verified per run (TRUSTGATE_RECHECK_BATCH; its default lives in shared/config). */
  batchSize: number;
  /** Required. Re-verify this long before a verdict expires, so admission never meets an expired entry (TRUSTGATE_RECHECK_LOOKAHEAD_S). */
  lookaheadMs: number;
  /** Required. Report certificates expiring within this window (TRUSTGATE_EXPIRY_WARNING_DAYS). */
  expiryWindowMs: number;
  /** Optional. Days to each store's nearest trust-anchor expiry, for operators to chart. Default: none. */
  metrics?: Pick<Metrics, 'certificateExpiry'>;
}

export interface RecheckReport {
  rechecked: number;
  changed: number;
  inconclusive: number;
  expiring: number;
  /** More due verdicts remain for the next run. */
  more: boolean;
}

/**
 * The timer's work: keep stored verdicts true over time. Verdicts near their `expiresAt` (certificate or
 * timestamp expiry, revocation nextUpdate, signature expiry, the max age) are verified again — which also
 * fetches fresh revocation data — oldest first in bounded batches, with the listing's continuation kept
 * between runs. A changed decision is published. A trust store change changes the fingerprint, so
 * verdicts made under the old one are simply never served again.
 */
export class RecheckService {
  private continuation: string | undefined;

  constructor(private readonly options: RecheckOptions) {}

  async run(): Promise<RecheckReport> {
    const { service, cache, clock, logger } = this.options;
    await this.refreshTrustStore();
    const at = clock.now();
    const fingerprint = await service.fingerprint();
    const page = await cache.listDue(new Date(at.getTime() + this.options.lookaheadMs), this.options.batchSize, this.continuation);
    this.continuation = page.continuation;
    const events: TrustgateEvent[] = [];
    const report: RecheckReport = { rechecked: 0, changed: 0, inconclusive: 0, expiring: 0, more: page.continuation !== undefined };
    for (const entry of page.entries) {
      if (entry.key.fingerprint !== fingerprint) {
        await cache.delete(entry.key); // made under another trust configuration: never served again, so stop carrying it
        continue;
      }
      const subject = `${entry.key.registry}/${entry.key.repository}@${entry.key.digest}`;
      const fresh = await service.verify(subject, { bypassCache: true, source: 'recheck' });
      report.rechecked++;
      if (fresh.reasons.some((r) => r.code === REASON.manifestNotFound)) {
        await cache.delete(entry.key); // the image is gone (its delete event may have been lost)
        continue;
      }
      if (fresh.decision === 'inconclusive') {
        report.inconclusive++;
        logger.log('warn', 'recheck.inconclusive', { subject, reasons: fresh.reasons.map((r) => r.code) });
        continue;
      }
      if (fresh.decision !== entry.verdict.decision) {
        report.changed++;
        events.push(changed(subject, entry, fresh.decision, fresh.reasons, at));
        logger.log('warn', 'verdict.changed', { subject, from: entry.verdict.decision, to: fresh.decision, reasons: fresh.reasons.map((r) => r.code) });
      }
    }
    const soon = await cache.listDue(new Date(at.getTime() + this.options.expiryWindowMs), this.options.batchSize);
    const expiring = await expiringCertificates({
      policy: this.options.policy,
      trustStore: this.options.trustStore,
      verdicts: soon.entries.filter((e) => e.key.fingerprint === fingerprint),
      at,
      windowMs: this.options.expiryWindowMs,
      logger,
      ...(this.options.metrics ? { onStoreExpiry: this.options.metrics.certificateExpiry.bind(this.options.metrics) } : {}),
    });
    report.expiring = expiring.length;
    await this.options.publisher.publish([...events, ...expiring]);
    logger.log('info', 'recheck.done', { ...report });
    return report;
  }

  private async refreshTrustStore(): Promise<void> {
    try {
      await this.options.refreshTrustStores?.();
    } catch (error) {
      this.options.logger.log('warn', 'recheck.trust_store_refresh_failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

function changed(subject: string, entry: CachedVerdict, to: string, reasons: Array<{ code: string; message: string }>, at: Date): TrustgateEvent {
  return { type: 'Trustgate.VerdictChanged', subject, data: { subject, digest: entry.key.digest, from: entry.verdict.decision, to, reasons, at: at.toISOString() } };
}
