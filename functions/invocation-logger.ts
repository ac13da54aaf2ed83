import type { InvocationContext } from '@azure/functions';
import { runWithInvocationLog } from '../shared/telemetry/index.js';

/**
 * The Logger adapter's plumbing for Azure: runs a handler with its InvocationContext as the destination of every line
 * trustgate's loggers write during the invocation (see invocationAwareLogger), so each line reaches Application
 * Insights with its severity and invocation id instead of as console text. The local host does not wrap: JSON lines.
 */
export function withInvocationLog<H extends (...args: never[]) => unknown>(handler: H): H {
  return ((...args: Parameters<H>) => {
    const context = args[args.length - 1] as unknown as InvocationContext;
    return runWithInvocationLog(context, () => handler(...args));
  }) as H;
}
