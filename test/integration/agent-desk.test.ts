import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AgentClient, logIn } from "../support/agent-client.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
let server: TestApp;
const closers: { close(): void }[] = [];
const track = <T extends { close(): void }>(client: T) => (closers.push(client), client);

afterEach(async () => {
  for (const client of closers.splice(0)) client.close();
  await server?.close();
});

async function waitingShopper(text = "I want to talk to a person") {
  const shopper = track(new Shopper(server.url));
  await shopper.start({ locale: "en" });
  await shopper.send(text);
  await shopper.waitFor((event) => event.type === "state-changed" && event.state === "waiting");
  return shopper;
}

async function secondAgent(name = "Mei", email = "mei@pinebrook.test") {
  await server.app.agentAuth.createAgent({ email, name, password: "another long password", role: "agent" });
  return track(await AgentClient.connect(server.url, email, "another long password"));
}

describe("the agent side", () => {
  it("takes over a handed-off conversation, replies, stays the only voice, and hands back to the bot", async () => {
    server = await startTestApp({ env });
    const agent = track(await AgentClient.connect(server.url, ADMIN.email, ADMIN.password));
    const handoff = agent.next("handoff-new");
    const shopper = await waitingShopper();
    expect(await handoff).toMatchObject({ id: shopper.conversationId, state: "waiting", handoff: { reason: "shopper-request" } });
    // With an agent online the shopper is told a person is coming.
    expect(await shopper.waitFor((event) => event.type === "notice")).toMatchObject({ code: "handoff-queued" });

    const list = await agent.emit("conversation-list", { filter: "waiting" });
    expect(list.ok && list.data.map((row) => row.id)).toEqual([shopper.conversationId]);
    const watched = await agent.emit("conversation-watch", { conversationId: shopper.conversationId! });
    expect(watched.ok && watched.data.events.map((event) => event.type)).toContain("state-changed");

    const taken = await agent.emit("conversation-take-over", { conversationId: shopper.conversationId! });
    expect(taken).toMatchObject({ ok: true, data: { state: "agent", assignedAgent: { name: "admin" } } });
    expect(await shopper.waitFor((event) => event.type === "state-changed" && event.state === "agent")).toMatchObject({ by: "admin" });

    const reply = await agent.emit("agent-reply", { conversationId: shopper.conversationId!, clientId: "r1", text: "Hi, I'm here to help." });
    expect(reply.ok).toBe(true);
    expect(await shopper.waitFor((event) => event.type === "message" && event.author === "agent")).toMatchObject({ text: "Hi, I'm here to help.", authorName: "admin" });
    const again = await agent.emit("agent-reply", { conversationId: shopper.conversationId!, clientId: "r1", text: "Hi, I'm here to help." });
    expect(again).toMatchObject({ ok: true, data: { duplicate: true } });

    // The shopper writes while the agent owns the conversation: the agent sees it live, the bot stays silent.
    const seen = agent.next("conversation-event", (event) => event.type === "message" && event.author === "shopper" && event.text === "Is shipping free?");
    const sent = await shopper.send("Is shipping free?");
    await seen;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(shopper.timeline.some((event) => event.type === "answer-start")).toBe(false);

    const note = await agent.emit("note-add", { conversationId: shopper.conversationId!, text: "VIP customer, offer free shipping" });
    expect(note.ok).toBe(true);
    expect(JSON.stringify(shopper.timeline)).not.toContain("VIP customer");

    const back = await agent.emit("conversation-hand-back", { conversationId: shopper.conversationId! });
    expect(back).toMatchObject({ ok: true, data: { state: "bot", assignedAgent: null } });
    const next = await shopper.send("How long does delivery take?");
    const end = await shopper.answerTo(next.ok ? next.data.seq : -1);
    expect(end.text).toContain("2 to 4 days");

    const detail = await agent.emit("conversation-watch", { conversationId: shopper.conversationId! });
    expect(detail.ok && detail.data.actions.map((action) => [action.action, action.agentName])).toEqual([
      ["take-over", "admin"], ["reply", "admin"], ["note", "admin"], ["hand-back", "admin"],
    ]);
    expect(detail.ok && detail.data.notes[0]).toMatchObject({ text: "VIP customer, offer free shipping", agentName: "admin" });
    expect(sent.ok).toBe(true);
  });

  it("lets exactly one of two agents take over at once, and only the owner reply", async () => {
    server = await startTestApp({ env });
    const first = track(await AgentClient.connect(server.url, ADMIN.email, ADMIN.password));
    const second = await secondAgent();
    const shopper = await waitingShopper();
    const conversationId = shopper.conversationId!;
    const results = await Promise.all([first.emit("conversation-take-over", { conversationId }), second.emit("conversation-take-over", { conversationId })]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const loser = results.find((result) => !result.ok)!;
    expect(loser).toMatchObject({ ok: false, error: { code: "CONFLICT", message: expect.stringMatching(/already taken over/) } });
    const [winner, other] = results[0]!.ok ? [first, second] : [second, first];
    expect(await other.emit("agent-reply", { conversationId, clientId: "x", text: "me too" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect((await winner.emit("agent-reply", { conversationId, clientId: "y", text: "hello" })).ok).toBe(true);
    await shopper.waitFor((event) => event.type === "message" && event.author === "agent");
    expect(shopper.timeline.filter((event) => event.type === "message" && event.author === "agent").map((event) => (event as { text: string }).text)).toEqual(["hello"]);
  });

  it("refuses everything to anyone not logged in, and to revoked or logged-out sessions", async () => {
    server = await startTestApp({ env });
    for (const [path, method] of [["/api/agent/me", "GET"], ["/api/agent/conversations", "GET"], ["/api/admin/agents", "GET"], ["/api/admin/agents", "POST"]] as const) {
      const response = await fetch(`${server.url}${path}`, { method, headers: { "content-type": "application/json", cookie: "kefu_session=forged", origin: server.url }, ...(method === "POST" ? { body: "{}" } : {}) });
      expect(response.status, path).toBe(401);
    }
    const anonymous = track(new AgentClient(server.url, undefined));
    const refused = await new Promise<Error & { data?: unknown }>((resolve) => anonymous.socket.once("connect_error", resolve));
    expect(refused.data).toMatchObject({ code: "UNAUTHORIZED" });
    expect((await logIn(server.url, ADMIN.email, "wrong password")).status).toBe(401);

    // A shopper's socket has no agent events at all, and cannot join agent rooms.
    const shopper = await waitingShopper();
    const raw = shopper.socket as unknown as { timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> } };
    await expect(raw.timeout(500).emitWithAck("conversation-take-over", { conversationId: shopper.conversationId })).rejects.toThrow();
    expect((await server.app.service.listQueue())[0]!.state).toBe("waiting");

    const other = await secondAgent();
    const adminLogin = await logIn(server.url, ADMIN.email, ADMIN.password);
    const forbidden = await fetch(`${server.url}/api/admin/agents`, { headers: { authorization: `Bearer ${(await logIn(server.url, "mei@pinebrook.test", "another long password")).token}` } });
    expect(forbidden.status).toBe(403);
    const ended = other.next("session-ended");
    const revoke = await fetch(`${server.url}/api/admin/agents/${(await server.app.agentAuth.listAgents()).find((agent) => agent.name === "Mei")!.id}/revoke-sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminLogin.token}` },
    });
    expect(revoke.status).toBe(200);
    expect(await ended).toMatchObject({ reason: "revoked" });

    const logout = await fetch(`${server.url}/api/agent/logout`, { method: "POST", headers: { authorization: `Bearer ${adminLogin.token}` } });
    expect(logout.status).toBe(204);
    expect((await fetch(`${server.url}/api/agent/me`, { headers: { authorization: `Bearer ${adminLogin.token}` } })).status).toBe(401);
  });

  it("slows down repeated failed logins from one client (see agent-security.test.ts for other clients)", async () => {
    server = await startTestApp({ env });
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await logIn(server.url, ADMIN.email, `guess-${attempt}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    expect((await logIn(server.url, ADMIN.email, ADMIN.password)).status).toBe(429);
  });

  it("gives clear errors for missing and closed conversations, and bad payloads", async () => {
    server = await startTestApp({ env });
    const agent = track(await AgentClient.connect(server.url, ADMIN.email, ADMIN.password));
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await agent.emit("conversation-take-over", { conversationId: missing })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await agent.emit("conversation-take-over", { conversationId: "nope" } as never)).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    const shopper = await waitingShopper();
    const closed = await agent.emit("conversation-close", { conversationId: shopper.conversationId! });
    expect(closed).toMatchObject({ ok: true, data: { state: "closed" } });
    expect(await shopper.waitFor((event) => event.type === "notice" && event.code === "conversation-closed")).toBeTruthy();
    expect(await agent.emit("conversation-take-over", { conversationId: shopper.conversationId! })).toMatchObject({ ok: false, error: { code: "INVALID_STATE", message: "This conversation is closed." } });
    // The shopper writing again reopens it with the bot.
    await shopper.send("Is shipping free?");
    expect(await shopper.waitFor((event) => event.type === "state-changed" && event.state === "bot")).toMatchObject({ reason: "shopper-returned" });
  });

  it("finds conversations by transcript text and filters them", async () => {
    server = await startTestApp({ env });
    const agent = track(await AgentClient.connect(server.url, ADMIN.email, ADMIN.password));
    const one = await waitingShopper("转人工，我的电水壶坏了");
    const two = track(new Shopper(server.url));
    await two.start();
    await two.send("Is shipping free?");
    await two.answerTo(1);
    const found = await agent.emit("conversation-list", { filter: "all", search: "电水壶" });
    expect(found.ok && found.data.map((row) => row.id)).toEqual([one.conversationId]);
    const bot = await agent.emit("conversation-list", { filter: "bot" });
    expect(bot.ok && bot.data.map((row) => row.id)).toEqual([two.conversationId]);
    await agent.emit("conversation-take-over", { conversationId: one.conversationId! });
    const mine = await agent.emit("conversation-list", { filter: "mine" });
    expect(mine.ok && mine.data.map((row) => row.id)).toEqual([one.conversationId]);
  });

  it("keeps agent and shopper whole across a restart", async () => {
    server = await startTestApp({ env });
    const agent = track(await AgentClient.connect(server.url, ADMIN.email, ADMIN.password));
    const shopper = await waitingShopper();
    await agent.emit("conversation-take-over", { conversationId: shopper.conversationId! });
    await agent.emit("agent-reply", { conversationId: shopper.conversationId!, clientId: "a", text: "Checking your order now." });
    await shopper.waitFor((event) => event.type === "message" && event.author === "agent");
    const before = shopper.timeline;
    agent.close();
    shopper.close();

    server = await server.restart();
    const again = track(await AgentClient.connect(server.url, ADMIN.email, ADMIN.password));
    const detail = await again.emit("conversation-watch", { conversationId: shopper.conversationId! });
    expect(detail.ok && detail.data.events).toEqual(before);
    expect(detail.ok && detail.data.summary).toMatchObject({ state: "agent", assignedAgent: { name: "admin" } });
    const back = track(new Shopper(server.url));
    back.resumeToken = shopper.resumeToken;
    const resumed = await back.start({ lastSeq: before.at(-1)!.seq });
    expect(resumed.ok && resumed.data.events).toEqual([]);
    const live = back.waitFor((event) => event.type === "message" && event.text === "Still there?");
    await again.emit("agent-reply", { conversationId: shopper.conversationId!, clientId: "b", text: "Still there?" });
    expect((await live).seq).toBe(before.at(-1)!.seq + 1);
  });

  it("posts new hand-offs to a webhook, signed, retrying a failing one", async () => {
    const received: unknown[] = [];
    const verdicts: boolean[] = [];
    let calls = 0;
    const hook = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk));
      request.on("end", () => {
        calls += 1;
        verdicts.push(verifyKefuWebhook(body, request.headers, SECRET), verifyKefuWebhook(body, request.headers, "another secret of 16+ chars"), verifyKefuWebhook(`${body} `, request.headers, SECRET));
        if (calls === 1) return void response.writeHead(503).end();
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    try {
      server = await startTestApp({ env: { ...env, HANDOFF_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, HANDOFF_WEBHOOK_SECRET: SECRET, PUBLIC_URL: "https://support.example.com" } });
      const shopper = await waitingShopper("转人工");
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
      expect(received[0]).toMatchObject({ type: "handoff", conversationId: shopper.conversationId, reason: "shopper-request", dashboardUrl: `https://support.example.com/dashboard/?conversation=${shopper.conversationId}` });
      expect(calls).toBe(2);
      // Each attempt verifies with the right secret only, and not once the body is changed.
      expect(verdicts).toEqual([true, false, false, true, false, false]);
    } finally {
      hook.close();
    }
  });
});

const SECRET = "webhook secret for tests";

/** The README's verification snippet, as a receiver would run it. */
function verifyKefuWebhook(rawBody: string, headers: Record<string, string | string[] | undefined>, secret: string, toleranceSeconds = 300): boolean {
  const timestamp = Number(headers["kefu-timestamp"]);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(`v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`);
  const given = Buffer.from(String(headers["kefu-signature"] ?? ""));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
