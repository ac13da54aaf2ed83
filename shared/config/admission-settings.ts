import type { AdmissionSettings } from '../admission/index.js';
import { configError } from './settings.js';

type Env = Record<string, string | undefined>;

/** TRUSTGATE_ADMISSION_* and friends → the admission endpoints' settings (validated again by the admission module). */
export function loadAdmissionSettings(env: Env): AdmissionSettings {
  const settings: AdmissionSettings = {};
  const key = value(env, 'TRUSTGATE_ADMISSION_KEY');
  if (key !== undefined) {
    if (!/^[A-Za-z0-9_-]{32,256}$/.test(key)) throw configError('TRUSTGATE_ADMISSION_KEY', 'must be 32–256 characters of A-Z a-z 0-9 _ -');
    settings.pathKey = key;
  }
  const ca = value(env, 'TRUSTGATE_ADMISSION_CLIENT_CA');
  if (ca !== undefined) settings.clientCaPem = ca;
  const mode = choice(env, 'TRUSTGATE_ADMISSION_MODE', ['deny', 'warn', 'audit'] as const);
  if (mode) settings.mode = mode;
  const onInconclusive = choice(env, 'TRUSTGATE_ADMISSION_ON_INCONCLUSIVE', ['deny', 'allow'] as const);
  if (onInconclusive) settings.onInconclusive = onInconclusive;
  const namespaces = list(env, 'TRUSTGATE_ADMISSION_EXCLUDED_NAMESPACES');
  if (namespaces) settings.excludedNamespaces = namespaces;
  const images = list(env, 'TRUSTGATE_ADMISSION_ALLOW_IMAGES');
  if (images) settings.allowImages = images;
  const margin = integer(env, 'TRUSTGATE_ADMISSION_SAFETY_MARGIN_MS', 0, 25_000);
  if (margin !== undefined) settings.safetyMarginMs = margin;
  const pin = choice(env, 'TRUSTGATE_MUTATE_PIN', ['tag-digest', 'digest'] as const);
  if (pin) settings.pinMode = pin;
  const gatekeeper = integer(env, 'TRUSTGATE_GATEKEEPER_DEADLINE_MS', 100, 30_000);
  if (gatekeeper !== undefined) settings.gatekeeperDeadlineMs = gatekeeper;
  const gatekeeperMutate = integer(env, 'TRUSTGATE_GATEKEEPER_MUTATE_DEADLINE_MS', 100, 30_000);
  if (gatekeeperMutate !== undefined) settings.gatekeeperMutateDeadlineMs = gatekeeperMutate;
  const maxBody = integer(env, 'TRUSTGATE_ADMISSION_MAX_BODY_BYTES', 1024, 64 * 1024 * 1024);
  if (maxBody !== undefined) settings.maxBodyBytes = maxBody;
  return settings;
}

function value(env: Env, name: string): string | undefined {
  const text = env[name]?.trim();
  return text ? text : undefined;
}

function list(env: Env, name: string): string[] | undefined {
  return value(env, name)?.split(',').map((s) => s.trim()).filter(Boolean);
}

function choice<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const text = value(env, name);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) throw configError(name, `must be one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}

function integer(env: Env, name: string, min: number, max: number): number | undefined {
  const text = value(env, name);
  if (text === undefined) return undefined;
  const parsed = Number(text);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw configError(name, `must be an integer from ${min} to ${max}, got "${text}"`);
  return parsed;
}
