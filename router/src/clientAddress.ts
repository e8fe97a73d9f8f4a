/**
 * The client address the router acts on (sign-in throttling in accounts, anonymous rate limits): the TCP
 * peer, unless that peer is a configured trusted proxy (TRUSTED_PROXIES), in which case X-Forwarded-For is
 * walked from the right, through trusted hops only, with `proxy-addr` (what express's `trust proxy` uses).
 * Without trusted proxies the header is ignored, so a caller can't pick its own address.
 */
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import proxyaddr from "proxy-addr";

export type ClientAddress = (req: IncomingMessage) => string | undefined;

/**
 * Checks a trusted-proxy list: addresses, CIDRs (10.0.0.0/8, fd00::/8), address/netmask, or proxy-addr's names
 * `loopback`, `linklocal`, `uniquelocal`. Throws a TypeError naming nothing of the caller's.
 */
export function compileTrustedProxies(list: readonly string[]): (address: string, hop: number) => boolean {
  return proxyaddr.compile([...list]);
}

export function clientAddressResolver(trustedProxies: readonly string[] = []): ClientAddress {
  if (trustedProxies.length === 0) return (req) => normalize(req.socket.remoteAddress);
  const trust = compileTrustedProxies(trustedProxies);
  return (req) => {
    const peer = normalize(req.socket.remoteAddress);
    if (peer === undefined) return undefined;
    // A trusted proxy that forwards a malformed entry: fall back to the proxy itself, never to caller text.
    return normalize(proxyaddr(req, trust)) ?? peer;
  };
}

/** An IP address in one spelling (IPv4-mapped IPv6 as IPv4), or undefined when it is none. */
function normalize(address: string | undefined): string | undefined {
  if (!address || isIP(address) === 0) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address.toLowerCase();
}
