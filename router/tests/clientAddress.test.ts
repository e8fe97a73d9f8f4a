import type { IncomingMessage } from "node:http";
import { clientAddressResolver } from "../src/clientAddress.js";

const req = (peer: string | undefined, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } }) as unknown as IncomingMessage;

describe("client address", () => {
  it("is the TCP peer without trusted proxies, whatever X-Forwarded-For says", () => {
    const address = clientAddressResolver();
    expect(address(req("192.0.2.1", "203.0.113.9"))).toBe("192.0.2.1");
    expect(address(req("::ffff:192.0.2.1"))).toBe("192.0.2.1"); // IPv4-mapped: one spelling, one counter
    expect(address(req(undefined))).toBeUndefined();
  });

  it("walks X-Forwarded-For from the right through trusted proxies only", () => {
    const address = clientAddressResolver(["10.0.0.0/8", "loopback"]);
    expect(address(req("10.1.2.3", "198.51.100.7, 203.0.113.9"))).toBe("203.0.113.9"); // the client's own entry (left) is not believed
    expect(address(req("10.1.2.3", "198.51.100.7, 10.9.9.9"))).toBe("198.51.100.7"); // two trusted hops
    expect(address(req("192.0.2.1", "203.0.113.9"))).toBe("192.0.2.1"); // not a trusted proxy
    expect(address(req("::1", "2001:DB8::1"))).toBe("2001:db8::1");
  });

  it("falls back to the proxy when what it forwards is not an address", () => {
    const address = clientAddressResolver(["10.0.0.0/8"]);
    expect(address(req("10.1.2.3", "<script>"))).toBe("10.1.2.3");
    expect(address(req("10.1.2.3", "203.0.113.9:4711"))).toBe("10.1.2.3");
  });

  it("refuses a bad trusted-proxy list", () => {
    expect(() => clientAddressResolver(["proxy.internal"])).toThrow();
  });
});
