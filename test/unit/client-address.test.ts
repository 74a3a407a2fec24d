import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddress, compileTrust, limitKey } from "../../src/limits/client-address.ts";
import { loadConfig } from "../../src/config.ts";

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, connection: { remoteAddress }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} }) as unknown as IncomingMessage;

describe("the client address per-IP limits count", () => {
  it("believes X-Forwarded-For only from trusted proxies, as TRUST_PROXY says", () => {
    const loopback = compileTrust(loadConfig({}).trustProxy);
    expect(clientAddress(request("127.0.0.1", "203.0.113.9"), loopback)).toBe("203.0.113.9");
    expect(clientAddress(request("198.51.100.1", "203.0.113.9"), loopback)).toBe("198.51.100.1");
    const none = compileTrust(loadConfig({ TRUST_PROXY: "false" }).trustProxy);
    expect(clientAddress(request("127.0.0.1", "203.0.113.9"), none)).toBe("127.0.0.1");
    const range = compileTrust(loadConfig({ TRUST_PROXY: "10.0.0.0/8, loopback" }).trustProxy);
    expect(clientAddress(request("10.1.2.3", "203.0.113.9, 10.9.9.9"), range)).toBe("203.0.113.9");
    const oneHop = compileTrust(loadConfig({ TRUST_PROXY: "1" }).trustProxy);
    expect(clientAddress(request("10.1.2.3", "203.0.113.7, 198.51.100.2"), oneHop)).toBe("198.51.100.2");
  });

  it("counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4", () => {
    expect(limitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(limitKey("2001:db8:1:2::1")).toBe(limitKey("2001:db8:1:2:ffff::9"));
    expect(limitKey("::ffff:192.0.2.4")).toBe("192.0.2.4");
    expect(limitKey("192.0.2.4")).toBe("192.0.2.4");
  });
});
