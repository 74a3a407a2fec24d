import { describe, expect, it } from "vitest";
import { ConnectionCredentials, handshakeCredentials, socketToken } from "../../src/agents/handshake-credentials.ts";

const TOKEN = "q0Zr5m3cYxkQ2w9VvJrM3b6n8p1s4t7u0x2z5c8e1g4";

describe("an agent socket's token from its handshake", () => {
  it("takes the session cookie only from the server's own origin or PUBLIC_URL's", () => {
    const cookie = { cookie: `theme=dark; kefu_session=${TOKEN}`, host: "kefu.example.com" };
    const publicHost = "support.example.com";
    expect(socketToken(undefined, handshakeCredentials({ ...cookie, origin: "https://kefu.example.com" }), publicHost)).toEqual({ token: TOKEN });
    expect(socketToken(undefined, handshakeCredentials({ ...cookie, origin: "https://support.example.com" }), publicHost)).toEqual({ token: TOKEN });
    for (const origin of ["https://shop.example.com", "https://kefu.example.com.evil.test", "null", undefined]) {
      expect(socketToken(undefined, handshakeCredentials({ ...cookie, ...(origin ? { origin } : {}) }), publicHost)).toEqual({ refused: "cross-site" });
    }
  });

  it("prefers a token given in auth, then a bearer header, and ignores what is not a token", () => {
    const both = handshakeCredentials({ cookie: "kefu_session=from-cookie", authorization: "Bearer from-header", origin: "https://shop.example.com", host: "kefu.example.com" });
    expect(socketToken("from-auth", both, undefined)).toEqual({ token: "from-auth" });
    expect(socketToken(undefined, both, undefined)).toEqual({ token: "from-header" });
    expect(socketToken(undefined, handshakeCredentials({ cookie: "theme=dark", host: "kefu.example.com" }), undefined)).toBeNull();
    expect(handshakeCredentials({ cookie: `kefu_session=${"x".repeat(4000)}` })).toBeUndefined();
    expect(handshakeCredentials({ cookie: "kefu_session=%E0%A4%A" })).toBeUndefined();
  });

  it("keeps credentials per connection, and nothing for a connection without any", () => {
    const credentials = new ConnectionCredentials();
    const agent = {};
    const shopper = {};
    credentials.remember(agent, { cookie: `kefu_session=${TOKEN}`, origin: "https://kefu.example.com", host: "kefu.example.com" });
    credentials.remember(shopper, { origin: "https://shop.example.com", host: "kefu.example.com" });
    expect(credentials.of(agent)).toEqual({ cookie: TOKEN, origin: "https://kefu.example.com", host: "kefu.example.com" });
    expect(credentials.of(shopper)).toBeUndefined();
  });
});
