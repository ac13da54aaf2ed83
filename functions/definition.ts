import type { EventGridHandler, HttpHandler, HttpMethod, TimerHandler } from '@azure/functions';

/**
 * One trigger, described once. `functions/index.ts` registers these with the Functions host and the local
 * host (`host/`) serves the same list, so both run the same handler code on the same routes.
 */
export type FunctionDefinition =
  | { kind: 'http'; name: string; methods: HttpMethod[]; authLevel: 'anonymous' | 'function' | 'admin'; route: string; handler: HttpHandler }
  | { kind: 'eventGrid'; name: string; handler: EventGridHandler }
  | { kind: 'timer'; name: string; schedule: string; handler: TimerHandler };

/** Builds the real handler on first use, so importing a function module does no I/O (Flex init budget). */
export function lazy<H extends (...args: never[]) => unknown>(build: () => Promise<H>): H {
  let built: Promise<H> | undefined;
  return (async (...args: Parameters<H>) => {
    built ??= build().catch((error: unknown) => {
      built = undefined; // a failed start-up (bad setting) is retried on the next call, not cached forever
      throw error;
    });
    return (await built)(...args);
  }) as H;
}
