import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connected, Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

/**
 * Every shopper event is bounded per IP and per conversation; over a limit the client gets
 * RATE_LIMITED naming the limit, and other clients (other IPs, other conversations) go on.
 * The test clients connect from loopback, a trusted proxy by default, so X-Forwarded-For gives
 * each test an IP of its own.
 */
let server: TestApp;
const shoppers: Shopper[] = [];

beforeAll(async () => {
  server = await startTestApp({
    env: {
      SOCKETS_PER_IP: "3",
      CONVERSATIONS_PER_IP_PER_MINUTE: "2",
      MESSAGES_PER_IP_PER_MINUTE: "3",
      CONTACTS_PER_CONVERSATION_PER_HOUR: "2",
      EVENTS_PER_CONVERSATION_PER_MINUTE: "3",
      EVENTS_PER_IP_PER_MINUTE: "7",
    },
  });
});
afterAll(async () => {
  for (const shopper of shoppers.splice(0)) shopper.close();
  await server?.close();
});

function shopperFrom(ip: string): Shopper {
  const shopper = new Shopper(server.url, { extraHeaders: { "x-forwarded-for": ip } });
  shoppers.push(shopper);
  return shopper;
}

async function startedFrom(ip: string): Promise<Shopper> {
  const shopper = shopperFrom(ip);
  expect((await shopper.start({ locale: "en" })).ok).toBe(true);
  return shopper;
}

const refusal = (limit: string) => ({ ok: false, error: { code: "RATE_LIMITED", details: { limit, retryAfterSeconds: expect.any(Number) } } });

describe("limits on shopper events", () => {
  it("refuses more open sockets per IP than allowed, and takes one again when one closes", async () => {
    const open = ["10.1.0.1", "10.1.0.1", "10.1.0.1"].map(shopperFrom);
    await Promise.all(open.map(connected));
    const fourth = shopperFrom("10.1.0.1");
    const error = await connected(fourth).then(() => null, (failure: Error & { data?: unknown }) => failure.data);
    expect(error).toMatchObject({ code: "RATE_LIMITED", details: { limit: "sockets-per-ip" } });
    await connected(shopperFrom("10.1.0.2"));

    open[0]!.close();
    let admitted = false;
    for (let attempt = 0; attempt < 20 && !admitted; attempt += 1) {
      const again = shopperFrom("10.1.0.1");
      admitted = await connected(again).then(() => true, () => false);
      if (!admitted) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(admitted).toBe(true);
  });

  it("limits new conversations per IP per minute, but never a resume", async () => {
    const shopper = shopperFrom("10.2.0.1");
    expect((await shopper.start()).ok).toBe(true);
    const token = shopper.resumeToken;
    shopper.resumeToken = undefined;
    expect((await shopper.start()).ok).toBe(true);
    shopper.resumeToken = undefined;
    expect(await shopper.start()).toMatchObject(refusal("conversations-per-ip"));
    shopper.resumeToken = token;
    expect((await shopper.start()).ok).toBe(true);
    expect((await startedFrom("10.2.0.2")).conversationId).toBeDefined();
  });

  it("limits messages per IP over all its conversations", async () => {
    const [first, second] = [await startedFrom("10.3.0.1"), await startedFrom("10.3.0.1")];
    expect((await first!.send("How long does delivery take?")).ok).toBe(true);
    expect((await second!.send("How long does delivery take?")).ok).toBe(true);
    expect((await first!.send("And to Shanghai?")).ok).toBe(true);
    expect(await second!.send("And to Beijing?")).toMatchObject(refusal("messages-per-ip"));
    const other = await startedFrom("10.3.0.2");
    expect((await other.send("How long does delivery take?")).ok).toBe(true);
  });

  it("limits contacts per conversation; another conversation of the same IP can still leave one", async () => {
    const shopper = await startedFrom("10.4.0.1");
    const leave = (client: Shopper) => client.socket.timeout(5_000).emitWithAck("contact-leave", { email: "a@example.com", message: "call me" });
    expect((await leave(shopper)).ok).toBe(true);
    expect((await leave(shopper)).ok).toBe(true);
    expect(await leave(shopper)).toMatchObject(refusal("contacts-per-conversation"));
    expect((await leave(await startedFrom("10.4.0.1"))).ok).toBe(true);
    // Nothing refused was stored: two contacts in the first conversation.
    expect(shopper.timeline.filter((event) => event.type === "contact")).toHaveLength(2);
  });

  it("limits page views, typing and feedback per conversation, then every event per IP", async () => {
    const a = await startedFrom("10.5.0.1");
    const b = await startedFrom("10.5.0.1");
    const view = (client: Shopper) => client.socket.timeout(5_000).emitWithAck("page-view", { productId: "KF-TEST-1" });
    for (let i = 0; i < 3; i += 1) expect((await view(a)).ok).toBe(true);
    expect(await view(a)).toMatchObject(refusal("events-per-conversation"));
    // a's refused view still counted for the IP: 2 starts + 4 views; b has one more before the IP's 7.
    expect((await view(b)).ok).toBe(true);
    expect(await view(b)).toMatchObject(refusal("events-per-ip"));
    expect((await view(await startedFrom("10.5.0.2"))).ok).toBe(true);
  });

  it("closes a connection that keeps sending after being refused; the same address's others stay", async () => {
    const flooder = await startedFrom("10.6.0.1");
    const patient = await startedFrom("10.6.0.1");
    const view = (client: Shopper) => client.socket.timeout(5_000).emitWithAck("page-view", { productId: "KF-TEST-1" });
    const closed = new Promise<string>((resolve) => flooder.socket.once("disconnect", resolve));
    const limits: string[] = [];
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const response = await view(flooder);
      if (response.ok) continue;
      const limit = (response.error.details as { limit: string }).limit;
      limits.push(limit);
      if (limit === "refusals-per-connection") break;
    }
    // Refused 30 times (told each time how long to wait), then refused once more and closed.
    expect(limits.slice(0, -1)).toHaveLength(30);
    expect(limits.slice(0, -1).every((limit) => limit === "events-per-conversation" || limit === "events-per-ip")).toBe(true);
    expect(limits.at(-1)).toBe("refusals-per-connection");
    expect(await closed).toBe("io server disconnect");
    // The address's other connection is still open (its budget is spent, so it is told to wait).
    expect(patient.socket.connected).toBe(true);
    expect(await view(patient)).toMatchObject(refusal("events-per-ip"));
    expect(patient.socket.connected).toBe(true);
    expect((await view(await startedFrom("10.6.0.2"))).ok).toBe(true);
  });

  it("keeps serving everyone else: health and a fresh shopper", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const shopper = await startedFrom("10.9.0.1");
    const { data } = (await shopper.send("How long does delivery take?")) as { data: { seq: number } };
    expect((await shopper.answerTo(data.seq)).status).toBe("complete");
  });
});
