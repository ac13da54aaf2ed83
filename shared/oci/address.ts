import { BlockList, isIP } from 'node:net';
import type { Clock } from '../core/index.js';
import { RegistryError } from './errors.js';

/** Resolves a host name to its addresses (node:dns `lookup(host, {all: true})` in production). */
export type HostResolver = (hostname: string) => Promise<string[]>;

/**
 * Addresses no registry request may reach, whatever the allowlist says: link-local (169.254.0.0/16,
 * fe80::/10, which hold the cloud metadata services) and the AWS IPv6 metadata address. IPv4-mapped
 * IPv6 forms are covered by BlockList.
 */
const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6');

/** True for an IP literal in a forbidden range; false for names and other addresses. */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 0) return false;
  return FORBIDDEN.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

const RESOLUTION_TTL_MS = 60_000;

/**
 * Refuses forbidden hosts: IP literals directly, names after resolving them (cached for a minute).
 * Resolution is a cheap first line, not a guarantee: the HTTP stack resolves again (DNS rebinding).
 * A failed lookup is left to the request itself, which then fails as a connection error.
 */
export class AddressGuard {
  private readonly checked = new Map<string, number>();

  constructor(
    private readonly resolver: HostResolver | undefined,
    private readonly clock: Clock,
  ) {}

  async check(url: URL): Promise<void> {
    const hostname = url.hostname;
    if (isForbiddenAddress(hostname)) throw forbidden(hostname);
    if (!this.resolver || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return;
    const now = this.clock.now().getTime();
    const until = this.checked.get(hostname);
    if (until !== undefined && until > now) return;
    let addresses: string[];
    try {
      addresses = await this.resolver(hostname);
    } catch {
      return;
    }
    const bad = addresses.find(isForbiddenAddress);
    if (bad !== undefined) throw forbidden(hostname, bad);
    this.checked.set(hostname, now + RESOLUTION_TTL_MS);
  }
}

function forbidden(hostname: string, resolved?: string): RegistryError {
  const via = resolved === undefined ? '' : ` (resolves to ${resolved})`;
  return new RegistryError('ERR_ADDRESS_FORBIDDEN', 'invalid-input', `refusing to contact link-local/metadata address ${hostname}${via}`, {
    details: { hostname, ...(resolved === undefined ? {} : { resolved }) },
  });
}
