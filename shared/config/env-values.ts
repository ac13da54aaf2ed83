import { AppError } from '../core/index.js';

export class ConfigError extends AppError {}

export type Env = Record<string, string | undefined>;

/**
 * Every configuration error names its setting (message and details.setting) and never quotes the value: a setting
 * may hold a secret (a URL with a password, a key). `path` is named when the setting points at a file.
 */
export function configError(name: string, message: string, cause?: unknown, path?: string): ConfigError {
  return new ConfigError('ERR_CONFIG', 'config', `${name}: ${message}`, { cause, details: { setting: name, ...(path ? { path } : {}) } });
}

/** The trimmed value, or undefined when unset or blank. */
export function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw configError(name, `must be an integer from ${min} to ${max}`);
  return parsed;
}

export function optionalInteger(env: Env, name: string, min: number, max: number): number | undefined {
  return text(env, name) === undefined ? undefined : integer(env, name, 0, min, max);
}

export function choice<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw configError(name, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function commaList(env: Env, name: string): string[] | undefined {
  return text(env, name)?.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Comma-separated registry hosts (`host[:port]`, `[v6]:port`, or `*`), lowercased. */
export function hostList(env: Env, name: string): string[] | undefined {
  const items = commaList(env, name)?.map((item) => item.toLowerCase());
  (items ?? []).forEach((item, index) => {
    if (item !== '*' && !/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/.test(item)) throw configError(name, `entry ${index + 1} is not a host[:port]`);
  });
  return items;
}

export function httpUrl(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw configError(name, 'is not a URL'); // the parser's error quotes the value: not kept
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw configError(name, 'is not an http(s) URL');
  return value;
}

export function json(env: Env, name: string): unknown {
  const value = text(env, name);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw configError(name, 'is not valid JSON'); // the parser's error quotes the value: not kept
  }
}
