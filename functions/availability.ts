import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { admissionSettings, configurationProblems, problemsError, problemsFor, type ConfigProblem, type SettingGroup } from '../shared/config/index.js';
import { problemResponse } from '../shared/http/index.js';

/**
 * Which setting groups each function needs. One broken setting disables only the functions listed against its group:
 * a wrong admission setting leaves verify, acrEvents and recheck working; health and openapi need nothing.
 */
export const FUNCTION_NEEDS: Readonly<Record<string, readonly SettingGroup[]>> = {
  verify: ['core'],
  verdicts: ['core'],
  'admission-validate': ['admission', 'core'],
  'admission-mutate': ['admission', 'core'],
  'gatekeeper-verify': ['admission', 'core'],
  'gatekeeper-mutate': ['admission', 'core'],
  acrEvents: ['core'],
  recheck: ['core', 'recheck'],
  health: [],
  openapi: [],
};

let healthy: Promise<ConfigProblem[]> | undefined; // kept result (see currentProblems)
let served: readonly string[] | undefined;

/** The local host serves a subset (no admission endpoints without their authentication): health looks at those only. */
export function servedFunctions(names: readonly string[] | undefined): void {
  served = names;
}

/** Function name → groups, for the functions this process serves. */
export function servedNeeds(): Readonly<Record<string, readonly SettingGroup[]>> {
  return served ? Object.fromEntries(Object.entries(FUNCTION_NEEDS).filter(([name]) => served?.includes(name))) : FUNCTION_NEEDS;
}

/** servedNeeds without the admission and Gatekeeper endpoints when the operator turned them off. */
export async function activeNeeds(): Promise<Readonly<Record<string, readonly SettingGroup[]>>> {
  const needs = servedNeeds();
  const { settings } = await admissionSettings();
  if (settings.enabled !== false) return needs;
  return Object.fromEntries(Object.entries(needs).filter(([, groups]) => !groups.includes('admission')));
}

/**
 * Current configuration problems. App settings do not change without a restart, so a result is kept for the process
 * unless building the services failed (that may be passing: Key Vault unreachable), which is looked at again next call.
 */
export function currentProblems(): Promise<ConfigProblem[]> {
  if (healthy) return healthy;
  const found = configurationProblems();
  found.then((problems) => {
    if (!problems.some((p) => p.group === 'core')) healthy = found;
  }, () => undefined);
  return found;
}

/** Forget the kept result (tests that change the configuration). */
export function resetAvailability(): void {
  healthy = undefined;
}

/** The problems that disable `name` right now (empty: it may run). */
export async function disablingProblems(name: string): Promise<ConfigProblem[]> {
  return problemsFor(await currentProblems(), FUNCTION_NEEDS[name] ?? ['core']);
}

/** 503 naming the function and the settings (names only); `named: false` says nothing of the configuration. */
export function disabledResponse(name: string, problems: readonly ConfigProblem[], named = true): HttpResponseInit {
  if (!named) return problemResponse(503, 'ERR_FUNCTION_DISABLED', `${name} is disabled by its configuration`, { function: name });
  const settings = [...new Set(problems.map((p) => p.setting))];
  return problemResponse(503, 'ERR_FUNCTION_DISABLED', `${name} is disabled: fix ${settings.join(', ')}`, { function: name, settings });
}

/** An HTTP function that answers 503 while a setting it needs is broken. */
export function gateHttp(name: string, handler: HttpHandler): HttpHandler {
  return async (request, context) => {
    const problems = await disablingProblems(name);
    if (problems.length > 0) return disabledResponse(name, problems);
    return handler(request, context);
  };
}

/** A non-HTTP trigger that fails (so Event Grid retries, the timer logs it) while a setting it needs is broken. */
export function gateTrigger<A extends unknown[]>(name: string, handler: (...args: A) => unknown): (...args: A) => Promise<unknown> {
  return async (...args: A) => {
    const problems = await disablingProblems(name);
    if (problems.length > 0) throw problemsError(problems);
    return handler(...args);
  };
}
