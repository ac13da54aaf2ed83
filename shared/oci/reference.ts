import { isIPv6 } from 'node:net';
import { DOCKER_HUB_API_HOST, DOCKER_HUB_LEGACY_NAMES, DOCKER_HUB_REGISTRY } from './constants.js';
import { isDigest } from './digest.js';
import { RegistryError } from './errors.js';

/** Longest reference text we look at; the name part alone is limited to 255 (distribution reference package). */
const MAX_REFERENCE_LENGTH = 1024;
const MAX_NAME_LENGTH = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[([0-9a-fA-F:.]+)\\])(?::([0-9]{1,5}))?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^\w[\w.-]{0,127}$/;

/**
 * toString() of each Reference, made once: the text keys per-instance memories, and the same string object hashes
 * once. Kept beside the instances (not in a field) so equal references stay structurally equal.
 */
const texts = new WeakMap<Reference, string>();

/**
 * A parsed, normalised image reference, as Docker and containerd read them
 * (github.com/distribution/reference: `nginx` → `docker.io/library/nginx:latest`).
 */
export class Reference {
  /** Registry host as written in references, lowercased, with port: `docker.io`, `127.0.0.1:5000`, `[::1]:5000`. */
  readonly registry: string;
  readonly repository: string;
  /** Absent only when the reference names a digest without a tag. */
  readonly tag: string | undefined;
  readonly digest: string | undefined;

  constructor(registry: string, repository: string, tag?: string, digest?: string) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /** What the registry is asked for: the digest when there is one (it wins over a tag), else the tag. */
  get identifier(): string {
    return this.digest ?? this.tag ?? 'latest';
  }

  /** The same repository pinned to `digest` (keeps the tag for display). */
  withDigest(digest: string): Reference {
    return new Reference(this.registry, this.repository, this.tag, digest);
  }

  toString(): string {
    let text = texts.get(this);
    if (text === undefined) {
      text = `${this.registry}/${this.repository}${this.tag === undefined ? '' : `:${this.tag}`}${this.digest === undefined ? '' : `@${this.digest}`}`;
      texts.set(this, text);
    }
    return text;
  }
}

/**
 * Parses `[registry/]repository[:tag][@digest]`. A missing registry means docker.io (single names get
 * `library/`), a missing tag and digest means `latest`. Throws ERR_INVALID_REFERENCE on anything malformed:
 * uppercase repository names, empty components, bad ports, unsupported digests (only sha256/sha512).
 */
export function parseReference(text: string): Reference {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_REFERENCE_LENGTH) throw invalid(String(text).slice(0, 80), 'empty or too long');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw invalid(text, 'digest must be sha256:<64 hex> or sha512:<128 hex>, lowercase');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && !rest.endsWith(']')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw invalid(text, 'malformed tag');
  }
  const { registry, path } = splitRegistry(rest, text);
  const repository = registry === DOCKER_HUB_REGISTRY && !path.includes('/') ? `library/${path}` : path;
  const components = repository.split('/');
  if (components.some((component) => !PATH_COMPONENT_RE.test(component))) {
    const why = repository !== repository.toLowerCase() ? 'repository names must be lowercase' : 'malformed repository path';
    throw invalid(text, why);
  }
  if (`${registry}/${repository}`.length > MAX_NAME_LENGTH) throw invalid(text, `name longer than ${MAX_NAME_LENGTH} characters`);
  return new Reference(registry, repository, tag ?? (digest === undefined ? 'latest' : undefined), digest);
}

/** The host that serves the registry API (`docker.io` is served by `registry-1.docker.io`). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB_REGISTRY ? DOCKER_HUB_API_HOST : registry;
}

/** The first component is a registry when it has a `.` or `:`, is `localhost`, or has uppercase (Docker's rule). */
function splitRegistry(name: string, text: string): { registry: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isRegistry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  if (!isRegistry) return { registry: DOCKER_HUB_REGISTRY, path: name };
  return { registry: normaliseRegistry(first, text), path: name.slice(slash + 1) };
}

function normaliseRegistry(host: string, text: string): string {
  const match = DOMAIN_RE.exec(host);
  if (!match) throw invalid(text, 'malformed registry host');
  const [, ipv6, port] = match;
  if (ipv6 !== undefined && !isIPv6(ipv6)) throw invalid(text, 'malformed IPv6 address');
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw invalid(text, 'port out of range');
  const lower = host.toLowerCase();
  return DOCKER_HUB_LEGACY_NAMES.includes(lower) ? DOCKER_HUB_REGISTRY : lower;
}

function invalid(text: string, why: string): RegistryError {
  return new RegistryError('ERR_INVALID_REFERENCE', 'invalid-input', `invalid image reference ${JSON.stringify(text.slice(0, 300))}: ${why}`);
}
