// Addresses that workspace admins type in (a CalDAV server) must not let them reach the Beckon
// server's own network: loopback, private ranges, link-local (cloud metadata) and the like. The
// check runs on every connection after DNS resolution, redirects included, so neither a hostname
// that resolves inward nor a redirect to one gets through.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { Agent, fetch as undiciFetch } from 'undici';
import { causeOf } from '../errors.js';

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 127], // :: and ::1
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether `address` (an IP literal) is loopback, private, link-local, shared, multicast or reserved. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return NOT_PUBLIC.check(bare, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  return mapped ? NOT_PUBLIC.check(mapped, 'ipv4') : NOT_PUBLIC.check(bare, 'ipv6');
}

export class NonPublicAddressError extends Error {
  constructor(readonly host: string) {
    super(`${host} is on a private or local network, which this server does not connect to (CALDAV_ALLOW_PRIVATE_NETWORKS or WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true allows it)`);
    this.name = 'NonPublicAddressError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    if (addresses.length === 0 || addresses.some((a) => isNonPublicAddress(a.address))) return callback(new NonPublicAddressError(hostname), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

interface PublicOnly {
  fetch: typeof undiciFetch;
  /** A dispatcher that refuses connections to non-public addresses, given as a name or a literal. */
  agent: Agent;
}

let publicOnly: Promise<PublicOnly> | undefined;

/** undici (half a megabyte of code) is loaded with the first outbound request: an idle server makes none. */
function loadPublicOnly(): Promise<PublicOnly> {
  publicOnly ??= import('undici').then(({ Agent, buildConnector, fetch }) => {
    const connectPublicOnly = buildConnector({ lookup: publicOnlyLookup as never });
    const agent = new Agent({
      connect(options, callback) {
        // Node skips the lookup for IP literals, so those are checked here.
        if (isNonPublicAddress(options.hostname)) return callback(new NonPublicAddressError(options.hostname), null);
        connectPublicOnly(options, callback);
      },
    });
    return { fetch, agent };
  });
  return publicOnly;
}

/** fetch that reaches only public addresses. */
export const publicOnlyFetch = (async (input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) => {
  const { fetch, agent } = await loadPublicOnly();
  return fetch(input, { ...init, dispatcher: agent });
}) as unknown as typeof globalThis.fetch;

/** The NonPublicAddressError behind a failed fetch (undici wraps it in `cause`), if that is why it failed. */
export function nonPublicAddressCause(error: unknown): NonPublicAddressError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = causeOf(e), depth++) if (e instanceof NonPublicAddressError) return e;
  return undefined;
}
