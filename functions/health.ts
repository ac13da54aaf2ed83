import type { HttpHandler } from '@azure/functions';
import { getServices, problemsFor, type ConfigProblem, type Services } from '../shared/config/index.js';
import { activeNeeds, currentProblems } from './availability.js';
import type { FunctionDefinition } from './definition.js';
import { guardHttp } from './guard.js';

export interface HealthDeps {
  /** Required. The services (built on first use). */
  load: () => Promise<Services>;
  /** Optional. Configuration problems by group. Default: the process's (functions/availability.ts). */
  problems?: () => Promise<ConfigProblem[]>;
  /** Optional. Function name → setting groups it needs. Default: the served functions' that are not turned off (FUNCTION_NEEDS). */
  needs?: () => Readonly<Record<string, readonly string[]>> | Promise<Readonly<Record<string, readonly string[]>>>;
}

/**
 * GET /api/health — 200 when every function can answer; 503 naming each disabled function and the settings that disable
 * it (names only: no values, paths, keys or certificates), e.g. the admission endpoints without a key.
 */
export function makeHealthHandler(deps: HealthDeps | (() => Promise<Services>)): HttpHandler {
  const { load, problems = currentProblems, needs = activeNeeds } = typeof deps === 'function' ? { load: deps } : deps;
  return guardHttp(async () => {
    const found = await problems();
    const disabled = Object.entries(await needs())
      .map(([name, groups]) => ({ function: name, settings: [...new Set(problemsFor(found, groups as never).map((p) => p.setting))] }))
      .filter((entry) => entry.settings.length > 0);
    const core = found.filter((p) => p.group === 'core');
    if (core.length > 0) {
      const first = core[0] as ConfigProblem;
      return { status: 503, jsonBody: { status: 'degraded', configuration: { loaded: false, error: { code: 'ERR_CONFIG', setting: first.setting } }, disabled } };
    }
    const health = await (await load()).describe();
    const configuration = { loaded: true, ...health };
    if (disabled.length > 0) return { status: 503, jsonBody: { status: 'degraded', configuration, disabled } };
    return { status: 200, jsonBody: { status: 'ok', configuration } };
  });
}

export const healthFunction: FunctionDefinition = {
  kind: 'http',
  name: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  handler: makeHealthHandler(getServices),
};
