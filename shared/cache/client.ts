import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';

/** Table name used when the configuration does not name one. */
export const DEFAULT_VERDICT_TABLE = 'verdicts';

export type VerdictTableTarget =
  | { kind: 'connectionString'; connectionString: string; tableName: string }
  | { kind: 'endpoint'; endpoint: string; credential: TokenCredential; tableName: string };

/**
 * A TableClient with short retries (one retry, ≤ 1 s apart), so a Table outage costs a request
 * milliseconds, not the SDK's default of several seconds. Plain http is allowed only for loopback
 * endpoints (Azurite).
 */
export function createVerdictTableClient(target: VerdictTableTarget): TableClient {
  const retryOptions = { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 };
  switch (target.kind) {
    case 'connectionString':
      return TableClient.fromConnectionString(target.connectionString, target.tableName, {
        retryOptions,
        allowInsecureConnection: isLoopbackHttp(tableEndpointOf(target.connectionString)),
      });
    case 'endpoint':
      return new TableClient(target.endpoint, target.tableName, target.credential, {
        retryOptions,
        allowInsecureConnection: isLoopbackHttp(target.endpoint),
      });
  }
}

function tableEndpointOf(connectionString: string): string {
  const match = /(?:^|;)\s*TableEndpoint=([^;]+)/i.exec(connectionString);
  return match?.[1] ?? '';
}

function isLoopbackHttp(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
  } catch {
    return false;
  }
}
