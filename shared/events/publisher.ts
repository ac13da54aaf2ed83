import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../core/index.js';

/** Events trustgate publishes to a custom Event Grid topic (Event Grid schema). */
export type TrustgateEvent =
  | { type: 'Trustgate.VerdictChanged'; subject: string; data: { subject: string; digest: string; from: string; to: string; reasons: Array<{ code: string; message: string }>; at: string } }
  | { type: 'Trustgate.CertificateExpiring'; subject: string; data: { where: 'trustStore' | 'signature'; certificateSubject: string; thumbprint: string; notAfter: string; store?: string; image?: string } };

/** Port: where events go (Event Grid in Azure, nowhere or a list in tests). A publish failure is logged, never fatal. */
export interface EventPublisher {
  publish(events: TrustgateEvent[]): Promise<void>;
}

export const noEventPublisher: EventPublisher = { publish: async () => undefined };

/** Publishes to an Event Grid custom topic with a key or the app's identity. */
export function eventGridPublisher(options: { endpoint: string; key?: string; credential: TokenCredential; logger: Logger; clock: { now(): Date } }): EventPublisher {
  const credential = options.key ? new AzureKeyCredential(options.key) : options.credential;
  const client = new EventGridPublisherClient(options.endpoint, 'EventGrid', credential);
  return {
    async publish(events) {
      if (events.length === 0) return;
      try {
        await client.send(events.map((e) => ({ eventType: e.type, subject: e.subject, dataVersion: '1.0', data: e.data, eventTime: options.clock.now() })));
      } catch (error) {
        options.logger.log('warn', 'events.publish_failed', { count: events.length, error: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}
