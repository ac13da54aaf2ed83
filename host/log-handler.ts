import type { Logger } from '../shared/core/index.js';

export type LogHandler = (level: string, ...args: unknown[]) => void;

/** Routes an InvocationContext's log calls (context.log/warn/error) into the host's JSON logger. */
export function logHandler(logger: Logger): LogHandler {
  return (level, ...args) => {
    const mapped = level === 'error' || level === 'critical' ? 'error' : level === 'warning' ? 'warn' : level === 'debug' || level === 'trace' ? 'debug' : 'info';
    logger.log(mapped, 'function.log', { message: args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') });
  };
}
