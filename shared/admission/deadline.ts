import { DEFAULT_WEBHOOK_TIMEOUT_MS, MAX_WEBHOOK_TIMEOUT_MS } from './constants.js';

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Parses the API server's `?timeout=` query value, a Go duration such as `10s` or `1m30s`
 * (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#timeouts).
 * Absent or unreadable → the API server's default (10 s); the result is capped at its maximum (30 s).
 */
export function parseWebhookTimeout(value: string | null | undefined): number {
  if (!value) return DEFAULT_WEBHOOK_TIMEOUT_MS;
  const text = value.trim();
  if (text.length > 32 || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return DEFAULT_WEBHOOK_TIMEOUT_MS;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1_000);
  }
  if (!Number.isFinite(total) || total <= 0) return DEFAULT_WEBHOOK_TIMEOUT_MS;
  return Math.min(total, MAX_WEBHOOK_TIMEOUT_MS);
}

export interface BudgetOptions {
  /** Required. Time kept back for the answer to travel to the API server. */
  safetyMarginMs: number;
  /** Optional. The least time verification is ever given. Default: 100. */
  minimumMs?: number;
}

/** How long verification may run so that the answer still beats the API server's timeout. */
export function answerBudgetMs(timeoutMs: number, options: BudgetOptions): number {
  const minimum = options.minimumMs ?? 100;
  return Math.max(minimum, Math.floor(timeoutMs - options.safetyMarginMs));
}
