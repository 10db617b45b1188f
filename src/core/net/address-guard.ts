// The private-address guard for every server-side request to a user-given URL (downloads now;
// callbacks and Chromium later). Addresses are checked after DNS resolution, in the lookup the
// socket actually connects with, so DNS rebinding cannot slip a private address past the check.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { appError } from '../errors.js';

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  // 64:ff9b:1::/48 is local-use NAT64 (RFC 8215): where the IPv4 address sits depends on the
  // operator's prefix length, so the whole range is refused rather than guessed.
  ['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED.addSubnet(net, bits, 'ipv6');

/** The eight 16-bit words of an address that `isIP` accepted as IPv6 (dotted tail included). */
export function ipv6Words(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros: string[] = tail === undefined ? [] : Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((word) => parseInt(word, 16));
}

const dottedQuad = (high: number, low: number): string => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
const allZero = (words: readonly number[]): boolean => words.every((w) => w === 0);

/**
 * The IPv4 address an IPv6 address carries, in any spelling (dotted or hex, compressed or not):
 * IPv4-mapped ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96, IPv4-compatible ::/96, NAT64
 * 64:ff9b::/96 and 6to4 2002::/16. A packet to any of them may reach that IPv4 address.
 */
function embeddedIpv4(ip: string): string | undefined {
  const w = ipv6Words(ip);
  const [w0, w1, w2, w3, w4, w5, w6 = 0, w7 = 0] = w;
  if (allZero(w.slice(0, 5)) && w5 === 0xffff) return dottedQuad(w6, w7);
  if (allZero(w.slice(0, 4)) && w4 === 0xffff && w5 === 0) return dottedQuad(w6, w7);
  if (allZero(w.slice(0, 6))) return dottedQuad(w6, w7);
  if (w0 === 0x64 && w1 === 0xff9b && allZero([w2 ?? 0, w3 ?? 0, w4 ?? 0, w5 ?? 0])) return dottedQuad(w6, w7);
  if (w0 === 0x2002) return dottedQuad(w1 ?? 0, w2 ?? 0);
  return undefined;
}

/** True for loopback, private, link-local, CGNAT, multicast, reserved and documentation ranges. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return BLOCKED.check(bare, 'ipv4');
  if (family === 6) {
    if (BLOCKED.check(bare, 'ipv6')) return true;
    const v4 = embeddedIpv4(bare);
    return v4 !== undefined && BLOCKED.check(v4, 'ipv4');
  }
  return true; // not an IP address at all: refuse rather than guess
}

export interface AddressPolicy {
  readonly allowPrivate: boolean;
}

const refused = (host: string, address: string) =>
  appError('URL_FORBIDDEN', `The URL host ${host} resolves to ${address}, a private or loopback address, which this server does not fetch. Use a public URL (the operator can allow private addresses with ALLOW_PRIVATE_URLS=true).`);

/** Checks a URL's host when it is an IP literal (sockets skip the lookup for those). */
export function assertAllowedHost(hostname: string, policy: AddressPolicy): void {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivate && isIP(bare) !== 0 && isPrivateAddress(bare)) throw refused(hostname, bare);
}

/** A `lookup` for http.request that refuses the whole host if any address it resolves to is private. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = policy.allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad !== undefined) return callback(refused(hostname, bad.address) as unknown as NodeJS.ErrnoException, '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
