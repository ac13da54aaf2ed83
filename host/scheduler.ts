import { randomUUID } from 'node:crypto';
import type { Timer } from '@azure/functions';
import { parseNcrontab } from '../shared/config/index.js';
import type { Logger } from '../shared/core/index.js';
import type { FunctionDefinition } from '../functions/definition.js';
import { InvocationContext } from './functions-runtime.js';
import { logHandler } from './log-handler.js';

/** setTimeout cannot wait longer than ~24.8 days; a far occurrence is approached in steps of a day. */
const MAX_WAIT_MS = 86_400_000;

export interface Timers {
  stop(): void;
}

/**
 * Runs timer functions on their NCRONTAB schedules (UTC), as the Functions host does: one run at a time per function
 * (an occurrence that comes while the previous run is still going is skipped), failures logged, never thrown.
 * `schedules` overrides a definition's schedule by name (the local host reads settings after the functions import).
 */
export function startTimers(definitions: readonly FunctionDefinition[], logger: Logger, schedules: Record<string, string> = {}): Timers {
  const handles = new Set<NodeJS.Timeout>();
  let stopped = false;
  for (const definition of definitions) {
    if (definition.kind !== 'timer') continue;
    const schedule = parseNcrontab(schedules[definition.name] ?? definition.schedule);
    let running = false;
    const arm = (after: Date) => {
      if (stopped) return;
      const due = schedule.next(after);
      const wait = Math.min(Math.max(due.getTime() - Date.now(), 0), MAX_WAIT_MS);
      const handle = setTimeout(() => {
        handles.delete(handle);
        if (Date.now() < due.getTime()) return arm(new Date(Date.now() - 1000)); // stepped wait: not due yet
        if (!running) void run(due);
        arm(due);
      }, wait);
      handles.add(handle);
    };
    const run = async (due: Date) => {
      running = true;
      const context = new InvocationContext({ invocationId: randomUUID(), functionName: definition.name, logHandler: logHandler(logger) });
      const timer: Timer = { isPastDue: Date.now() - due.getTime() > 60_000, schedule: { adjustForDST: false }, scheduleStatus: undefined as never };
      try {
        await definition.handler(timer, context);
      } catch (error) {
        logger.log('warn', 'host.timer_failed', { function: definition.name, error: error instanceof Error ? error.message : String(error) });
      } finally {
        running = false;
      }
    };
    arm(new Date(Date.now()));
  }
  return {
    stop() {
      stopped = true;
      for (const handle of handles) clearTimeout(handle);
      handles.clear();
    },
  };
}
