import type { InvocationContext, TimerHandler } from '@azure/functions';
import { getServices, registeredRecheckSchedule } from '../shared/config/index.js';
import type { RecheckService } from '../shared/verification/index.js';
import { gateTrigger } from './availability.js';
import { lazy, type FunctionDefinition } from './definition.js';

/** recheck — re-verifies due verdicts, refreshes Key Vault stores, reports expiring certificates. */
export function makeRecheckHandler(deps: { recheck: RecheckService }): TimerHandler {
  return async (_timer: unknown, context: InvocationContext) => {
    const report = await deps.recheck.run();
    context.log('recheck finished', report);
  };
}

export const recheckFunction: FunctionDefinition = {
  kind: 'timer',
  name: 'recheck',
  schedule: registeredRecheckSchedule(),
  handler: gateTrigger('recheck', lazy(async () => makeRecheckHandler(await getServices()))) as TimerHandler,
};
