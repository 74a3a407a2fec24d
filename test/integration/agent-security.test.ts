import { afterEach, describe, expect, it } from "vitest";
import { AgentClient, logIn } from "../support/agent-client.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const MEI = { email: "mei@pinebrook.test", password: "another long password" };
const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
let server: TestApp;
const closers: { close(): void }[] = [];

afterEach(async () => {
  for (const client of closers.splice(0)) client.close();
  await server?.close();
});

/** A login as it would arrive from a client at `ip` (the server trusts X-Forwarded-For from loopback only). */
async function loginFrom(ip: string, email: string, password: string) {
  const response = await fetch(`${server.url}/api/agent/login`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify({ email, password }) });
  return { status: response.status, body: (await response.json()) as { token?: string; error?: { code: string } } };
}
const api = (path: string, token: string, body?: unknown) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

describe("login throttling", () => {
  it("stops a guesser at their own IP and account, and never locks the real agent out", async () => {
    server = await startTestApp({ env });
    // The admin logs in from the office once: that IP is now known for the account.
    expect((await loginFrom("198.51.100.2", ADMIN.email, ADMIN.password)).status).toBe(200);

    // One attacker IP: after 5 wrong passwords for the account, even the right one is refused there.
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await loginFrom("203.0.113.7", ADMIN.email, `guess ${attempt}`)).status).toBe(401);
    const refused = await loginFrom("203.0.113.7", ADMIN.email, ADMIN.password);
    expect(refused).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
    // The real admin, elsewhere, is not affected.
    expect((await loginFrom("198.51.100.2", ADMIN.email, ADMIN.password)).status).toBe(200);
    expect((await loginFrom("192.0.2.10", ADMIN.email, ADMIN.password)).status).toBe(200);

    // A distributed guesser (one wrong password per IP) trips the account-wide limit: new IPs are
    // then refused before any password work, while IPs the admin logged in from still work.
    const statuses: number[] = [];
    for (let batch = 0; batch < 5; batch += 1) {
      const guesses = Array.from({ length: 10 }, (_, index) => loginFrom(`10.9.${batch}.${index}`, ADMIN.email, `wrong ${batch} ${index}`));
      statuses.push(...(await Promise.all(guesses)).map((result) => result.status));
    }
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(40);
    expect(statuses.at(-1)).toBe(429);
    expect((await loginFrom("10.99.0.1", ADMIN.email, ADMIN.password)).status).toBe(429);
    expect((await loginFrom("198.51.100.2", ADMIN.email, ADMIN.password)).status).toBe(200);
    expect((await loginFrom("192.0.2.10", ADMIN.email, ADMIN.password)).status).toBe(200);
  }, 120_000);

  it("caps login attempts per IP before hashing, whatever the email, and refuses a flood rather than queue it", async () => {
    server = await startTestApp({ env });
    const results = [];
    for (let attempt = 0; attempt < 32; attempt += 1) results.push((await loginFrom("203.0.113.9", `nobody${attempt}@example.com`, "x")).status);
    expect(results.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(results.at(-1)).toBe(429);
    expect((await loginFrom("198.51.100.3", ADMIN.email, ADMIN.password)).status).toBe(200);

    // 60 logins at once from 60 IPs: the password work is bounded, the excess refused at once.
    const flood = await Promise.all(Array.from({ length: 60 }, (_, index) => loginFrom(`10.8.0.${index}`, `flood${index}@example.com`, "x")));
    const refused = flood.filter((result) => result.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.body.error?.code).toBe("RATE_LIMITED");
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 120_000);
});

describe("sessions on open sockets", () => {
  it("disconnects a dashboard whose session expires while it is connected, and sends it nothing more", async () => {
    server = await startTestApp({ env: { ...env, AGENT_SESSION_HOURS: "0.0006" } }); // about 2 s
    const agent = await AgentClient.connect(server.url, ADMIN.email, ADMIN.password);
    closers.push(agent);
    const updates: unknown[] = [];
    agent.socket.on("conversation-updated", (summary) => updates.push(summary));
    const ended = await agent.next("session-ended", () => true, 8_000);
    expect(ended).toEqual({ reason: "expired" });
    await expect.poll(() => agent.socket.connected).toBe(false);
    const before = updates.length;
    const shopper = new Shopper(server.url);
    closers.push(shopper);
    await shopper.start({ locale: "en" });
    await shopper.send("I want to talk to a person");
    await shopper.waitFor((event) => event.type === "state-changed" && event.state === "waiting");
    expect(updates.length).toBe(before);
  });
});

describe("the dashboard's socket, by the session cookie", () => {
  /** A real socket.io client on /agent with these handshake headers: "connected", or the refusal's code. */
  const connectWith = (headers: Record<string, string>, auth: { token?: string } = {}) =>
    new Promise<{ outcome: string; client: AgentClient }>((resolve) => {
      const client = new AgentClient(server.url, auth.token, headers);
      closers.push(client);
      client.socket.once("connect", () => resolve({ outcome: "connected", client }));
      client.socket.once("connect_error", (error: Error & { data?: { code?: string } }) => resolve({ outcome: error.data?.code ?? error.message, client }));
    });

  it("connects with the cookie alone from the server's own origin, and refuses it cross-site", async () => {
    // The shop's origin may embed the widget, so the handshake itself is allowed from it.
    const shop = "http://shop.pinebrook.test";
    server = await startTestApp({ env: { ...env, ALLOWED_ORIGINS: shop } });
    const login = await fetch(`${server.url}/api/agent/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ADMIN) });
    const { token } = (await login.json()) as { token: string };
    const cookie = login.headers.getSetCookie().map((line) => line.split(";")[0]!).find((pair) => pair.startsWith("kefu_session="))!;
    expect(cookie).toBe(`kefu_session=${encodeURIComponent(token)}`);

    const own = await connectWith({ cookie, origin: server.url });
    expect(own.outcome).toBe("connected");
    // It is a working dashboard: it lists conversations and receives live updates.
    expect(await own.client.emit("conversation-list", { filter: "all" })).toMatchObject({ ok: true });
    const updated = own.client.next("conversation-updated");
    const shopper = new Shopper(server.url);
    closers.push(shopper);
    await shopper.start({ locale: "en" });
    await shopper.send("I want to talk to a person");
    await updated;

    // Cross-site WebSocket hijacking: another site (even an allowed, same-site shop) or no Origin at all.
    expect((await connectWith({ cookie, origin: shop })).outcome).toBe("FORBIDDEN");
    expect((await connectWith({ cookie, origin: "http://evil.test" })).outcome).not.toBe("connected");
    expect((await connectWith({ cookie })).outcome).toBe("FORBIDDEN");
    // A cookie that is no session, and no credentials at all.
    expect((await connectWith({ cookie: "kefu_session=not-a-session", origin: server.url })).outcome).toBe("UNAUTHORIZED");
    expect((await connectWith({ origin: server.url })).outcome).toBe("UNAUTHORIZED");

    // API clients keep the token: in the handshake's auth (from anywhere) or an Authorization header.
    expect((await connectWith({ origin: shop }, { token })).outcome).toBe("connected");
    expect((await connectWith({ authorization: `Bearer ${token}` })).outcome).toBe("connected");

    // Logging out ends the cookie's session: a new socket with it is refused.
    await fetch(`${server.url}/api/agent/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect((await connectWith({ cookie, origin: server.url })).outcome).toBe("UNAUTHORIZED");
  });
});

describe("managing agents", () => {
  it("disables an agent (their dashboard closes, they cannot log in) and enables them again", async () => {
    server = await startTestApp({ env });
    const admin = (await logIn(server.url, ADMIN.email, ADMIN.password)).token;
    await server.app.agentAuth.createAgent({ ...MEI, name: "Mei", role: "agent" });
    const mei = await AgentClient.connect(server.url, MEI.email, MEI.password);
    closers.push(mei);
    const meiId = (await server.app.agentAuth.listAgents()).find((agent) => agent.email === MEI.email)!.id;

    const ended = mei.next("session-ended");
    const disabled = await api(`/api/admin/agents/${meiId}/disable`, admin);
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({ agent: { email: MEI.email, disabled: true } });
    expect(await ended).toEqual({ reason: "disabled" });
    expect(await logIn(server.url, MEI.email, MEI.password)).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect(await (await fetch(`${server.url}/api/admin/agents`, { headers: { authorization: `Bearer ${admin}` } })).json()).toMatchObject({ agents: expect.arrayContaining([expect.objectContaining({ email: MEI.email, disabled: true })]) });

    // An agent cannot manage accounts; an admin cannot disable themselves (nor the last admin).
    const adminId = (await server.app.agentAuth.listAgents()).find((agent) => agent.email === ADMIN.email)!.id;
    expect(await (await api(`/api/admin/agents/${adminId}/disable`, admin)).json()).toMatchObject({ error: { code: "INVALID_STATE" } });
    expect((await api(`/api/admin/agents/${meiId}/enable`, admin)).status).toBe(200);
    const meiToken = (await logIn(server.url, MEI.email, MEI.password)).token;
    expect(meiToken).not.toBe("");
    expect((await api(`/api/admin/agents/${adminId}/disable`, meiToken)).status).toBe(403);
    expect((await api(`/api/admin/agents/not-an-agent/disable`, admin)).status).toBe(404);
  });

  it("changes passwords: the agent's own (other sessions end) and an admin's reset", async () => {
    server = await startTestApp({ env });
    await server.app.agentAuth.createAgent({ ...MEI, name: "Mei", role: "agent" });
    const elsewhere = await AgentClient.connect(server.url, MEI.email, MEI.password);
    closers.push(elsewhere);
    const current = (await logIn(server.url, MEI.email, MEI.password)).token;

    expect(await (await api("/api/agent/password", current, { currentPassword: "not it", newPassword: "a brand new password" })).json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(await (await api("/api/agent/password", current, { currentPassword: MEI.password, newPassword: "short" })).json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
    const ended = elsewhere.next("session-ended");
    const changed = await api("/api/agent/password", current, { currentPassword: MEI.password, newPassword: "a brand new password" });
    expect(changed.status).toBe(200);
    const { token } = (await changed.json()) as { token: string };
    expect(await ended).toEqual({ reason: "password-changed" });
    expect((await fetch(`${server.url}/api/agent/me`, { headers: { authorization: `Bearer ${current}` } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await logIn(server.url, MEI.email, "a brand new password")).status).toBe(200);

    const admin = (await logIn(server.url, ADMIN.email, ADMIN.password)).token;
    const meiId = (await server.app.agentAuth.listAgents()).find((agent) => agent.email === MEI.email)!.id;
    expect((await api(`/api/admin/agents/${meiId}/password`, admin, { newPassword: "set by the admin!" })).status).toBe(204);
    expect((await fetch(`${server.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await logIn(server.url, MEI.email, "set by the admin!")).status).toBe(200);
  });
});
