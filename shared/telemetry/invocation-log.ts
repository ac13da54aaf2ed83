import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, LogLevel } from '../core/index.js';

/**
 * Where an invocation's logs go in Azure: the Functions InvocationContext (structurally, so shared/ does not depend on
 * @azure/functions). The host stores each line with its severity, invocation id, function name and operation id, so
 * operators query `traces` by invocation rather than guessing severity from console text.
 */
export interface InvocationLogTarget {
  readonly invocationId: string;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const current = new AsyncLocalStorage<InvocationLogTarget>();

/** Runs `work` with `target` as the destination of every invocationAwareLogger line logged inside it. */
export function runWithInvocationLog<T>(target: InvocationLogTarget, work: () => T): T {
  return current.run(target, work);
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A Logger that writes to the current invocation's context when there is one (Azure), else to `fallback` (JSON lines
 * on stderr locally, in the CLI and outside invocations). The line is the event name plus its fields as JSON, so the
 * message stays greppable and `parse_json` can read the fields in Kusto.
 */
export function invocationAwareLogger(fallback: Logger, minLevel: LogLevel = 'info'): Logger {
  return {
    log(level, event, fields) {
      const target = current.getStore();
      if (target === undefined) return fallback.log(level, event, fields);
      if (ORDER[level] < ORDER[minLevel]) return;
      target[level](`${event} ${JSON.stringify({ event, ...fields })}`);
    },
  };
}
