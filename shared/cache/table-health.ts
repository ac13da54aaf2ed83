import { isAbortError } from '../core/index.js';
import type { Clock, Logger } from '../core/index.js';

/** HTTP status of a Table SDK error (undefined for network errors: refused, reset, DNS). */
export function tableStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The service's error code: `details.odataError.code` (Azurite leaves RestError.code undefined), else RestError.code. */
export function tableErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; details?: { odataError?: { code?: unknown } } } | undefined;
  const code = e?.details?.odataError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Unavailable rather than refused: network failure, timeout, throttling or a 5xx. */
export function isOutage(error: unknown): boolean {
  if (isAbortError(error)) return true;
  if ((error as { name?: unknown } | undefined)?.name !== 'RestError') return false;
  const status = tableStatus(error);
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/**
 * Tracks whether Table Storage is reachable. The first failure of an outage logs ONE warning; later
 * calls within `backoffMs` skip the table entirely (so an outage never stalls requests), then one call
 * probes it again. Success after an outage logs one recovery line.
 */
export class TableHealth {
  private down = false;
  private retryAtMs = 0;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly backoffMs: number,
  ) {}

  /** False while in an outage and before the next probe time. */
  shouldTry(): boolean {
    return !this.down || this.clock.now().getTime() >= this.retryAtMs;
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log('info', 'cache.table_recovered', {});
  }

  /** Records a failure of `operation`; outages are logged once per window, other errors every time. */
  failed(operation: string, error: unknown): void {
    const fields = { operation, status: tableStatus(error), code: tableErrorCode(error), message: (error as Error)?.message };
    if (!isOutage(error)) {
      this.logger.log('error', 'cache.table_error', fields);
      return;
    }
    this.retryAtMs = this.clock.now().getTime() + this.backoffMs;
    if (this.down) return;
    this.down = true;
    this.logger.log('warn', 'cache.table_unavailable', { ...fields, backoffMs: this.backoffMs });
  }
}
