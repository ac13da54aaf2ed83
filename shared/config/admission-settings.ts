import type { AdmissionSettings } from '../admission/index.js';
import { choice, commaList, configError, optionalInteger, text, type Env } from './env-values.js';

/** TRUSTGATE_ADMISSION_* and friends → the admission endpoints' settings (validated again by the admission module). */
export function loadAdmissionSettings(env: Env): AdmissionSettings {
  const pathKey = text(env, 'TRUSTGATE_ADMISSION_KEY');
  if (pathKey !== undefined && !/^[A-Za-z0-9_-]{32,256}$/.test(pathKey)) {
    throw configError('TRUSTGATE_ADMISSION_KEY', 'must be 32–256 characters of A-Z a-z 0-9 _ -');
  }
  const enabled = choice(env, 'TRUSTGATE_ADMISSION_ENABLED', ['true', 'false'] as const);
  const settings: AdmissionSettings = {
    enabled: enabled === undefined ? undefined : enabled === 'true',
    pathKey,
    clientCaPem: text(env, 'TRUSTGATE_ADMISSION_CLIENT_CA'),
    mode: choice(env, 'TRUSTGATE_ADMISSION_MODE', ['deny', 'warn', 'audit'] as const),
    onInconclusive: choice(env, 'TRUSTGATE_ADMISSION_ON_INCONCLUSIVE', ['deny', 'allow'] as const),
    excludedNamespaces: commaList(env, 'TRUSTGATE_ADMISSION_EXCLUDED_NAMESPACES'),
    allowImages: commaList(env, 'TRUSTGATE_ADMISSION_ALLOW_IMAGES'),
    safetyMarginMs: optionalInteger(env, 'TRUSTGATE_ADMISSION_SAFETY_MARGIN_MS', 0, 25_000),
    pinMode: choice(env, 'TRUSTGATE_MUTATE_PIN', ['tag-digest', 'digest'] as const),
    gatekeeperDeadlineMs: optionalInteger(env, 'TRUSTGATE_GATEKEEPER_DEADLINE_MS', 100, 30_000),
    gatekeeperMutateDeadlineMs: optionalInteger(env, 'TRUSTGATE_GATEKEEPER_MUTATE_DEADLINE_MS', 100, 30_000),
    maxBodyBytes: optionalInteger(env, 'TRUSTGATE_ADMISSION_MAX_BODY_BYTES', 1024, 64 * 1024 * 1024),
  };
  // Unset settings stay absent so the admission module's defaults apply.
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as AdmissionSettings;
}
