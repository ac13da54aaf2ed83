import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { systemClock, type Clock } from './clock.js';
import { AppError } from './errors.js';
import type { FetchLike } from './fetch.js';
import { pinnedFetch, type PinnedConnect, type ResolvedTarget } from './pinned-fetch.js';
import { classifyAddress } from './special-addresses.js';

/** Resolves a host name to its addresses (node:dns `lookup(host, {all: true})` in production). */
export type HostResolver = (hostname: string) => Promise<string[]>;

export type EgressErrorCode = 'ERR_EGRESS_FORBIDDEN' | 'ERR_EGRESS_UNRESOLVABLE';

/**
 * A request the egress policy refused or could not place. `details` say why (host, address, block); callers
 * decide how much of it a remote caller may see (see `describeNetworkFailure`).
 */
export class EgressError extends AppError {
  declare readonly code: EgressErrorCode;
}

export interface EgressPolicyOptions {
  /**
   * Optional. Hosts the operator named explicitly (registries in the trust policy or TRUSTGATE_ALLOWED_REGISTRIES):
   * only they may be loopback, private or shared address space. Called with `host[:port]` and with the bare host name.
   * Default: none.
   */
  named?: (host: string) => boolean;
  /** Optional. Resolver for host names; false skips resolution (tests with a fake transport). Default: node:dns lookup. */
  resolve?: HostResolver | false;
  /** Optional. Opens the connection to the checked address. Default: node http/https pinned to that address. */
  connect?: PinnedConnect;
  /** Optional. Expiry of cached resolutions. Default: systemClock. */
  clock?: Clock;
}

const RESOLUTION_TTL_MS = 60_000;

/**
 * The one egress policy of every outbound request (registries, redirect targets, token realms, OCSP, CRL):
 * 1. only http(s);
 * 2. the host is resolved once, and every address is classified against the IANA special-purpose registries
 *    (IPv4 embedded in IPv6 unwrapped): `forbidden` blocks always refuse, `local` ones unless the host was named;
 * 3. the connection goes to the address that was checked (no second lookup, so no DNS rebinding).
 */
export class EgressPolicy {
  private readonly named: (host: string) => boolean;
  private readonly resolve: HostResolver | undefined;
  private readonly connect: PinnedConnect;
  private readonly clock: Clock;
  private readonly resolved = new Map<string, { targets: ResolvedTarget[]; until: number }>();

  constructor(options: EgressPolicyOptions = {}) {
    this.named = options.named ?? (() => false);
    this.resolve = options.resolve === false ? undefined : (options.resolve ?? defaultResolver);
    this.connect = options.connect ?? pinnedFetch;
    this.clock = options.clock ?? systemClock;
  }

  /** Whether the operator named this URL's host (then network detail may be shown to callers). */
  isNamed(url: URL): boolean {
    return this.named(url.host.toLowerCase()) || this.named(url.hostname.toLowerCase());
  }

  /** Checks a URL and returns the address to connect to (undefined only when resolution is disabled). */
  async check(url: URL): Promise<ResolvedTarget | undefined> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(url, `scheme ${url.protocol} is not http(s)`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const named = this.isNamed(url);
    const family = isIP(host);
    if (family !== 0) return this.admit(url, [{ address: host, family: family as 4 | 6 }], named);
    if (!this.resolve) return undefined;
    return this.admit(url, await this.lookup(url, host), named);
  }

  /** check + connect: the request goes to the checked address only. */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = typeof input === 'string' ? new URL(input) : input;
    const target = await this.check(url);
    return this.connect(url, { ...init, redirect: 'manual' }, target);
  }

  /** This policy as a FetchLike (for ports that take one). Redirects come back as responses, never followed. */
  asFetch(): FetchLike {
    return (input, init) => this.fetch(input, init);
  }

  private admit(url: URL, targets: ResolvedTarget[], named: boolean): ResolvedTarget {
    for (const target of targets) {
      const verdict = classifyAddress(target.address);
      if (verdict.class === 'forbidden' || (verdict.class === 'local' && !named)) {
        const why = verdict.class === 'local' ? `${verdict.block} addresses are only reachable for hosts the operator named` : `${verdict.block} addresses are never contacted`;
        throw refused(url, why, target.address, verdict.block);
      }
    }
    const first = targets[0];
    if (first === undefined) throw unresolvable(url, 'no addresses');
    return first;
  }

  private async lookup(url: URL, host: string): Promise<ResolvedTarget[]> {
    const now = this.clock.now().getTime();
    const cached = this.resolved.get(host);
    if (cached && cached.until > now) return cached.targets;
    let addresses: string[];
    try {
      addresses = await (this.resolve as HostResolver)(host);
    } catch (error) {
      throw unresolvable(url, (error as NodeJS.ErrnoException).code ?? (error as Error).message, error);
    }
    const targets = addresses.map((address) => ({ address, family: (isIP(address) === 6 ? 6 : 4) as 4 | 6 }));
    if (targets.length > 0) this.resolved.set(host, { targets, until: now + RESOLUTION_TTL_MS });
    return targets;
  }
}

/** A policy that checks nothing and uses `fetch` as given: for tests that talk to a fake transport. */
export function unpolicedEgress(fetch: FetchLike): EgressPolicy {
  return new EgressPolicy({ named: () => true, resolve: false, connect: (url, init) => fetch(url, init) });
}

function refused(url: URL, why: string, address?: string, block?: string): EgressError {
  return new EgressError('ERR_EGRESS_FORBIDDEN', 'invalid-input', `refusing to contact ${url.host}: ${why}`, {
    details: { host: url.host, ...(address === undefined ? {} : { address }), ...(block === undefined ? {} : { block }) },
  });
}

function unresolvable(url: URL, why: string, cause?: unknown): EgressError {
  return new EgressError('ERR_EGRESS_UNRESOLVABLE', 'inconclusive', `cannot resolve ${url.hostname}: ${why}`, {
    details: { host: url.host, cause: why },
    ...(cause === undefined ? {} : { cause }),
  });
}

const defaultResolver: HostResolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
