import { classifyAddress } from '../core/index.js';
import { isIP } from 'node:net';

export type { HostResolver } from '../core/index.js';

/**
 * True for an IP literal no request may ever reach (cloud metadata, Azure WireServer, link-local, reserved…; see
 * core's egress policy for the table); false for names and for loopback/private addresses, which the egress policy
 * allows only for hosts the operator named.
 */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  return isIP(bare) !== 0 && classifyAddress(bare).class === 'forbidden';
}
