import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentClient } from "../support/agent-client.ts";
import { startServerNode, type ServerNode } from "../support/server-process.ts";
import { createTestDatabase, postgresProblem, redisProblem, TEST_REDIS_URL } from "../support/services.ts";
import { Shopper } from "../support/shopper.ts";
import { FIXTURE_KNOWLEDGE } from "../support/start-test-app.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const problem = postgresProblem ?? redisProblem;

/** Redis goes away (a proxy in front of it is cut) while two servers run, then comes back. */
describe.skipIf(problem !== null)(`two servers while Redis is away${problem ? ` (skipped: ${problem})` : ""}`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: TcpProxy;
  let nodes: ServerNode[] = [];
  const closers: { close(): void }[] = [];
  const track = <T extends { close(): void }>(client: T) => (closers.push(client), client);

  beforeAll(async () => {
    database = await createTestDatabase();
    const redis = new URL(TEST_REDIS_URL);
    proxy = await TcpProxy.start({ host: redis.hostname, port: Number(redis.port || 6379) });
    const env = {
      DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${proxy.port}/${1 + Math.floor(Math.random() * 15)}`, KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
      ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, MESSAGES_PER_MINUTE: "1000",
    };
    nodes = await Promise.all([startServerNode(env), startServerNode(env)]);
  }, 120_000);
  afterAll(async () => {
    for (const client of closers.splice(0)) client.close();
    await Promise.all(nodes.map((node) => node.stop()));
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  it("keep chatting on each server, lose nothing acknowledged, and fan out again once it is back", async () => {
    const [a, b] = nodes as [ServerNode, ServerNode];
    const shopper = track(new Shopper(a.url));
    await shopper.start({ locale: "en" });
    const agent = track(await AgentClient.connect(b.url, ADMIN.email, ADMIN.password));
    expect((await agent.emit("conversation-watch", { conversationId: shopper.conversationId! })).ok).toBe(true);

    proxy.cut();
    // The shopper's own server still stores, acknowledges and answers.
    const during = await shopper.send("How long does delivery take?", "during");
    expect(during.ok).toBe(true);
    const answer = await shopper.answerTo(during.ok ? during.data.seq : -1);
    expect(answer.status).toBe("complete");

    proxy.restore();
    // Fan-out comes back by itself: a new message on A reaches the agent on B.
    let seen = false;
    for (let attempt = 0; attempt < 20 && !seen; attempt += 1) {
      const text = `Still there? ${attempt}`;
      const next = agent.next("conversation-event", (event) => event.type === "message" && event.text === text, 1_000).then(() => true, () => false);
      await shopper.send(text, `after-${attempt}`);
      seen = await next;
    }
    expect(seen).toBe(true);
    // The agent catches up on what it missed from the durable seq.
    const detail = await agent.emit("conversation-watch", { conversationId: shopper.conversationId! });
    const events = detail.ok ? detail.data.events : [];
    expect(events.some((event) => event.type === "message" && event.clientId === "during")).toBe(true);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  }, 90_000);
});
