import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_HUB_LEGACY_NAMES, DOCKER_HUB_REGISTRY } from '../constants.js';
import { RegistryError } from '../errors.js';
import { helperCredentials, readHelperConfig } from './credential-helper.js';

/** What a client can present to a registry or its token service. */
import type { RegistryCredential, CredentialProvider } from './credential.js';

export type { RegistryCredential, CredentialProvider } from './credential.js';

/** A fixed map of registry host → credential (CLI flags, tests). */
export function staticCredentials(byRegistry: Record<string, RegistryCredential>): CredentialProvider {
  const normalised = new Map(Object.entries(byRegistry).map(([key, value]) => [normaliseRegistryKey(key), value]));
  return async (registry) => normalised.get(registry.toLowerCase());
}

const MAX_CONFIG_BYTES = 1024 * 1024;

interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

/**
 * Reads the `auths` section of a Docker `config.json` (default `~/.docker/config.json`; pass the path to honour
 * DOCKER_CONFIG). Base64 `auth` or `username`/`password` become basic credentials, `identitytoken` a refresh token.
 * A credential helper configured for the registry (`credHelpers`, else `credsStore`) is asked instead, as Docker does
 * (credential-helper.ts). A missing file means no credentials; an unreadable or malformed one, or a failing helper,
 * throws ERR_CREDENTIALS (kind config).
 */
export function dockerConfigCredentials(path: string = join(homedir(), '.docker', 'config.json')): CredentialProvider {
  let loaded: Promise<{ auths: Map<string, RegistryCredential>; helper: ReturnType<typeof helperCredentials> }> | undefined;
  return async (registry) => {
    loaded ??= loadDockerConfig(path).then(({ auths, parsed }) => ({ auths, helper: helperCredentials(readHelperConfig(parsed, path, normaliseRegistryKey), path) }));
    const { auths, helper } = await loaded;
    const key = registry.toLowerCase();
    return (await helper(key)) ?? auths.get(key);
  };
}

async function loadDockerConfig(path: string): Promise<{ auths: Map<string, RegistryCredential>; parsed: Record<string, unknown> }> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_CONFIG_BYTES) throw configError(path, 'file is larger than 1 MiB');
    text = bytes.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { auths: new Map(), parsed: {} };
    if (error instanceof RegistryError) throw error;
    throw configError(path, (error as Error).message, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw configError(path, 'not valid JSON', error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw configError(path, 'not a JSON object');
  const auths = (parsed as { auths?: unknown }).auths;
  const result = new Map<string, RegistryCredential>();
  if (auths === undefined) return { auths: result, parsed: parsed as Record<string, unknown> };
  if (typeof auths !== 'object' || auths === null) throw configError(path, '"auths" is not an object');
  for (const [key, entry] of Object.entries(auths as Record<string, DockerAuthEntry>)) {
    const credential = toCredential(entry, path, key);
    if (credential) result.set(normaliseRegistryKey(key), credential);
  }
  return { auths: result, parsed: parsed as Record<string, unknown> };
}

function toCredential(entry: DockerAuthEntry, path: string, key: string): RegistryCredential | undefined {
  if (typeof entry !== 'object' || entry === null) throw configError(path, `auths[${key}] is not an object`);
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') return { kind: 'refresh-token', refreshToken: entry.identitytoken };
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw configError(path, `auths[${key}].auth is not base64 of user:password`);
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') return { kind: 'basic', username: entry.username, password: entry.password };
  return undefined;
}

/** `https://index.docker.io/v1/` → `docker.io`; `https://host:5000/v2/` → `host:5000`. */
function normaliseRegistryKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]?.toLowerCase() ?? '';
  return DOCKER_HUB_LEGACY_NAMES.includes(host) ? DOCKER_HUB_REGISTRY : host;
}

function configError(path: string, why: string, cause?: unknown): RegistryError {
  return new RegistryError('ERR_CREDENTIALS', 'config', `cannot use Docker config ${path}: ${why}`, cause === undefined ? {} : { cause });
}
