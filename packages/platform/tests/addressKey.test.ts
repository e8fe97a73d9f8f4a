import { describe, expect, it } from "@jest/globals";
import { addressKey } from "../src/addressKey.js";

describe("addressKey: what throttles count a client address under", () => {
  it("an IPv4 address is itself, also when written IPv4-mapped", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("every address of one IPv6 /64 is one key, whatever its spelling; another /64 is another key", () => {
    const key = addressKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:ffff:ffff:ffff:fffe")).toBe(key);
    expect(addressKey("2001:DB8:1:2:abcd::9")).toBe(key);
    expect(addressKey("2001:db8:1:3::1")).not.toBe(key);
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
  });

  it("leaves anything that is not an address as it is", () => {
    expect(addressKey("unknown")).toBe("unknown");
  });
});
