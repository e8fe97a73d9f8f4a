/**
 * The key a client address is counted under by throttles and rate limits. An IPv4 address is one client;
 * an IPv6 client usually holds a whole /64 (a home or office network gets one, and picks addresses in it
 * freely), so IPv6 addresses are counted per /64 prefix — otherwise one machine could rotate through
 * 2^64 addresses to escape every per-address limit. IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as its IPv4.
 * Anything that is not an address is its own key (the caller decides what an unknown address means).
 */
import ipaddr from "ipaddr.js";

export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 becomes IPv4
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(":")}::/64`;
}
