import { isIP } from 'node:net';

/**
 * How an IP address may be used for an outbound request:
 * - `public`: anyone may make trustgate reach it;
 * - `local`: loopback, private and shared address space — only for hosts the operator named;
 * - `forbidden`: never (cloud metadata, Azure WireServer, link-local, unspecified, multicast, reserved, documentation).
 */
export type AddressClass = 'public' | 'local' | 'forbidden';

export interface AddressVerdict {
  class: AddressClass;
  /** Which special-purpose block matched (for logs), or 'global'. */
  block: string;
}

interface Block {
  bytes: number[];
  prefix: number;
  name: string;
  class: Exclude<AddressClass, 'public'>;
}

/** IANA IPv4 Special-Purpose Address Registry, plus the cloud metadata/control addresses that sit in public space. */
const IPV4_BLOCKS: Block[] = [
  v4('169.254.169.254', 32, 'cloud metadata', 'forbidden'),
  v4('168.63.129.16', 32, 'Azure WireServer', 'forbidden'),
  v4('100.100.100.200', 32, 'Alibaba metadata', 'forbidden'),
  v4('0.0.0.0', 8, 'this network', 'forbidden'),
  v4('10.0.0.0', 8, 'private', 'local'),
  v4('100.64.0.0', 10, 'shared address space', 'local'),
  v4('127.0.0.0', 8, 'loopback', 'local'),
  v4('169.254.0.0', 16, 'link-local', 'forbidden'),
  v4('172.16.0.0', 12, 'private', 'local'),
  v4('192.0.0.0', 24, 'IETF protocol assignments', 'forbidden'),
  v4('192.0.2.0', 24, 'documentation', 'forbidden'),
  v4('192.31.196.0', 24, 'AS112', 'forbidden'),
  v4('192.52.193.0', 24, 'AMT', 'forbidden'),
  v4('192.88.99.0', 24, '6to4 relay anycast', 'forbidden'),
  v4('192.168.0.0', 16, 'private', 'local'),
  v4('192.175.48.0', 24, 'AS112 direct delegation', 'forbidden'),
  v4('198.18.0.0', 15, 'benchmarking', 'forbidden'),
  v4('198.51.100.0', 24, 'documentation', 'forbidden'),
  v4('203.0.113.0', 24, 'documentation', 'forbidden'),
  v4('224.0.0.0', 4, 'multicast', 'forbidden'),
  v4('240.0.0.0', 4, 'reserved', 'forbidden'),
];

/** IANA IPv6 Special-Purpose Address Registry (embeddings of IPv4 are unwrapped before this table). */
const IPV6_BLOCKS: Block[] = [
  v6('fd00:ec2::254', 128, 'AWS metadata', 'forbidden'),
  v6('::1', 128, 'loopback', 'local'),
  v6('::', 128, 'unspecified', 'forbidden'),
  v6('64:ff9b:1::', 48, 'local-use NAT64', 'forbidden'),
  v6('100::', 64, 'discard-only', 'forbidden'),
  v6('2001::', 23, 'IETF protocol assignments (Teredo, ORCHID…)', 'forbidden'),
  v6('2001:db8::', 32, 'documentation', 'forbidden'),
  v6('3fff::', 20, 'documentation', 'forbidden'),
  v6('5f00::', 16, 'segment routing', 'forbidden'),
  v6('fc00::', 7, 'unique local', 'local'),
  v6('fe80::', 10, 'link-local', 'forbidden'),
  v6('fec0::', 10, 'site-local (deprecated)', 'forbidden'),
  v6('ff00::', 8, 'multicast', 'forbidden'),
];

/** Classifies an IP literal (brackets allowed). Anything that is not an IP address is `forbidden`. */
export function classifyAddress(address: string): AddressVerdict {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return lookupBlock(IPV4_BLOCKS, parseIpv4(bare));
  if (family !== 6) return { class: 'forbidden', block: 'not an IP address' };
  const bytes = parseIpv6(bare.split('%')[0] ?? '');
  const embedded = embeddedIpv4(bytes);
  if (embedded !== undefined) {
    const inner = lookupBlock(IPV4_BLOCKS, embedded.bytes);
    return { class: inner.class, block: `${embedded.kind} of ${inner.block}` };
  }
  return lookupBlock(IPV6_BLOCKS, bytes);
}

/** IPv4 carried inside IPv6: mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16. */
function embeddedIpv4(bytes: number[]): { kind: string; bytes: number[] } | undefined {
  const zeros = (from: number, to: number): boolean => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return { kind: 'IPv4-mapped', bytes: bytes.slice(12) };
  // ::/96 minus :: and ::1 (those are IPv6's own unspecified and loopback).
  if (zeros(0, 12) && !zeros(12, 15)) return { kind: 'IPv4-compatible', bytes: bytes.slice(12) };
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) return { kind: 'NAT64', bytes: bytes.slice(12) };
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return { kind: '6to4', bytes: bytes.slice(2, 6) };
  return undefined;
}

function lookupBlock(blocks: Block[], bytes: number[]): AddressVerdict {
  const hit = blocks.find((block) => matches(block, bytes));
  return hit ? { class: hit.class, block: hit.name } : { class: 'public', block: 'global' };
}

function matches(block: Block, bytes: number[]): boolean {
  if (block.bytes.length !== bytes.length) return false;
  for (let bit = 0; bit < block.prefix; bit += 8) {
    const take = Math.min(8, block.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((block.bytes[bit / 8] ?? 0) & mask) !== ((bytes[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

function parseIpv4(text: string): number[] {
  return text.split('.').map(Number);
}

/** 16 bytes of an IPv6 literal already validated by isIP (handles `::` and a dotted IPv4 tail). */
function parseIpv6(text: string): number[] {
  const groups = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) =>
    `${(Number(a) * 256 + Number(b)).toString(16)}:${(Number(c) * 256 + Number(d)).toString(16)}`,
  );
  const [head = '', rest] = groups.split('::');
  const toWords = (part: string): number[] => (part === '' ? [] : part.split(':').map((word) => parseInt(word, 16)));
  const left = toWords(head);
  const right = rest === undefined ? [] : toWords(rest);
  const gap = rest === undefined ? [] : new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0);
  return [...left, ...gap, ...right].flatMap((word) => [(word >> 8) & 0xff, word & 0xff]);
}

function v4(address: string, prefix: number, name: string, cls: Block['class']): Block {
  return { bytes: parseIpv4(address), prefix, name, class: cls };
}

function v6(address: string, prefix: number, name: string, cls: Block['class']): Block {
  return { bytes: parseIpv6(address), prefix, name, class: cls };
}
