import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../src/protocol/conversation-events.ts";
import { AgentClient, logIn } from "../support/agent-client.ts";
import { FakeLlmServer } from "../support/fake-llm-server.ts";
import { startServerNode, type ServerNode } from "../support/server-process.ts";
import { createTestDatabase, postgresProblem, redisProblem, TEST_REDIS_URL } from "../support/services.ts";
import { Shopper } from "../support/shopper.ts";
import { FIXTURE_KNOWLEDGE } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const SLOW_ANSWER = `${"Orders placed before 4 pm ship the same day and arrive in 2 to 4 days. ".repeat(8)}[1]`;
const problem = postgresProblem ?? redisProblem;

/** Two real server processes sharing one Postgres database and one Redis, as a load balancer would see them. */
describe.skipIf(problem !== null)(`two servers on Postgres and Redis${problem ? ` (skipped: ${problem})` : ""}`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let llm: FakeLlmServer;
  let nodes: ServerNode[] = [];
  const closers: { close(): void }[] = [];
  const track = <T extends { close(): void }>(client: T) => (closers.push(client), client);

  const env = () => {
    // A Redis database of its own keeps presence apart from other runs (pub/sub is shared, but keyed by ids).
    const redis = new URL(TEST_REDIS_URL);
    redis.pathname = `/${1 + Math.floor(Math.random() * 15)}`;
    return {
      DATABASE_URL: database.url, REDIS_URL: redis.toString(), KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
      LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "k", LLM_TIMEOUT_SECONDS: "30", LLM_MAX_RETRIES: "0",
      ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, MESSAGES_PER_MINUTE: "1000",
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await FakeLlmServer.start();
    llm.respondWith(() => ({ reply: `VERDICT: ANSWERED\n${SLOW_ANSWER}`, chunkSize: 8, tokenMs: 40 }));
    const shared = env();
    nodes = await Promise.all([startServerNode(shared), startServerNode(shared)]);
  }, 120_000);
  afterEach(() => {
    for (const client of closers.splice(0)) client.close();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await llm?.close();
    await database?.drop();
  }, 60_000);

  it("fan out across servers, and a take-over on one stops the answer streaming on the other within 500 ms", async () => {
    const [a, b] = nodes as [ServerNode, ServerNode];
    const agent = track(await AgentClient.connect(b.url, ADMIN.email, ADMIN.password));
    const shopper = track(new Shopper(a.url));
    await shopper.start({ locale: "en" });
    const sent = await shopper.send("How long does delivery take?");
    expect(sent.ok).toBe(true);
    await shopper.waitFor((event) => event.type === "answer-start", 20_000);
    const watched = await agent.emit("conversation-watch", { conversationId: shopper.conversationId! });
    expect(watched.ok).toBe(true);
    // The answer streams on A; the agent on B sees its pieces live.
    await agent.next("answer-delta", (delta) => delta.conversationId === shopper.conversationId);

    const taken = await agent.emit("conversation-take-over", { conversationId: shopper.conversationId! });
    const tookAt = performance.now();
    expect(taken.ok).toBe(true);
    const end = await shopper.waitFor((event) => event.type === "answer-end", 5_000);
    expect(end).toMatchObject({ status: "stopped" });
    const lastDeltaAt = await new Promise<number>((resolve) => {
      let last = tookAt;
      shopper.socket.on("answer-delta", () => (last = performance.now()));
      setTimeout(() => resolve(last), 1_500);
    });
    expect(lastDeltaAt - tookAt).toBeLessThan(500);
    expect(shopper.timeline.find((event) => event.type === "answer-end")!.seq).toBeGreaterThan(0);

    // The agent's reply on B reaches the shopper on A; the shopper's message on A reaches the agent on B.
    expect((await agent.emit("agent-reply", { conversationId: shopper.conversationId!, clientId: "r1", text: "Mei here, I can help." })).ok).toBe(true);
    expect(await shopper.waitFor((event) => event.type === "message" && event.author === "agent")).toMatchObject({ text: "Mei here, I can help." });
    const seen = agent.next("conversation-event", (event) => event.type === "message" && event.author === "shopper" && event.text === "Thanks!");
    await shopper.send("Thanks!");
    await seen;
    const seqs = shopper.timeline.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  }, 60_000);

  it("share agent presence and end a revoked session on every server at once", async () => {
    const [a, b] = nodes as [ServerNode, ServerNode];
    const agent = track(await AgentClient.connect(b.url, ADMIN.email, ADMIN.password));
    const shopper = track(new Shopper(a.url));
    await shopper.start({ locale: "en" });
    await shopper.send("I want to talk to a person");
    // The agent is online on B only: A knows, and tells the shopper a person is coming.
    expect(await shopper.waitFor((event) => event.type === "notice")).toMatchObject({ code: "handoff-queued" });

    const elsewhere = track(await AgentClient.connect(a.url, ADMIN.email, ADMIN.password));
    const ended = elsewhere.next("session-ended");
    const admin = await logIn(b.url, ADMIN.email, ADMIN.password);
    const agents = (await (await fetch(`${b.url}/api/admin/agents`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as { agents: { id: string }[] };
    const revokedAt = performance.now();
    const revoke = await fetch(`${b.url}/api/admin/agents/${agents.agents[0]!.id}/revoke-sessions`, { method: "POST", headers: { authorization: `Bearer ${admin.token}` } });
    expect(revoke.status).toBe(200);
    expect(await ended).toMatchObject({ reason: "revoked" });
    expect(performance.now() - revokedAt).toBeLessThan(2_000);
    void agent;
  }, 60_000);

  it("lose, repeat and skip nothing when a server is killed under load: its shoppers resume on the other", async () => {
    const [a, b] = nodes as [ServerNode, ServerNode];
    llm.respondWith(() => ({ reply: "VERDICT: ANSWERED\nOrders ship the same day and arrive in 2 to 4 days [1].", chunkSize: 6, tokenMs: 30 }));
    const shoppers = Array.from({ length: 8 }, () => track(new Shopper(a.url)));
    await Promise.all(shoppers.map((shopper) => shopper.start({ locale: "en" })));
    const acked = new Map<Shopper, Set<string>>(shoppers.map((shopper) => [shopper, new Set<string>()]));
    const sendSome = async (shopper: Shopper, count: number, tag: string) => {
      for (let index = 0; index < count; index += 1) {
        const clientId = `${tag}-${index}-${crypto.randomUUID()}`;
        const ack = await shopper.send(`How long does delivery take? (${tag} ${index})`, clientId).catch(() => null);
        if (ack?.ok) acked.get(shopper)!.add(clientId);
      }
    };
    // An agent on B watches every conversation: a bot "typing" must not outlive A.
    const watcher = track(await AgentClient.connect(b.url, ADMIN.email, ADMIN.password));
    const seen = new Map<string, string[]>();
    const note = (conversationId: string, what: string) => seen.set(conversationId, [...(seen.get(conversationId) ?? []), what]);
    watcher.socket.on("typing", (signal) => signal.author === "bot" && note(signal.conversationId, `typing:${signal.isTyping}`));
    watcher.socket.on("conversation-event", (event) => event.type === "answer-end" && note(event.conversationId, `answer-end:${event.status}`));
    for (const shopper of shoppers) expect((await watcher.emit("conversation-watch", { conversationId: shopper.conversationId! })).ok).toBe(true);
    const load = shoppers.map((shopper) => sendSome(shopper, 3, "before"));
    // Kill A while answers stream.
    await shoppers[0]!.waitFor((event) => event.type === "answer-start", 20_000);
    await a.kill();
    await Promise.allSettled(load);

    // Every shopper resumes on B from its last seq and keeps talking.
    const resumed = shoppers.map((old) => {
      const shopper = track(new Shopper(b.url));
      shopper.resumeToken = old.resumeToken;
      for (const event of old.timeline) shopper.events.set(event.seq, event);
      return shopper;
    });
    for (const [index, shopper] of resumed.entries()) {
      expect((await shopper.start({ lastSeq: shopper.lastSeq })).ok).toBe(true);
      acked.set(shopper, acked.get(shoppers[index]!)!);
      await sendSome(shopper, 1, "after");
    }
    let interrupted = 0;
    // Within seconds every acknowledged message has its answer (answers cut by the kill are closed as interrupted and given again).
    for (const shopper of resumed) {
      const fresh = track(new Shopper(b.url));
      fresh.resumeToken = shopper.resumeToken;
      const deadline = Date.now() + 30_000;
      let timeline: ConversationEvent[] = [];
      for (;;) {
        const full = await fresh.start({ lastSeq: 0 });
        timeline = full.ok ? full.data.events : [];
        const messages = timeline.filter((event) => event.type === "message" && event.author === "shopper");
        const answered = messages.every((message) =>
          timeline.some((event) => event.type === "answer-start" && event.replyTo === message.seq && timeline.some((end) => end.type === "answer-end" && end.answerId === event.answerId && end.status === "complete")),
        );
        if (answered || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const messages = timeline.filter((event): event is ConversationEvent & { type: "message" } => event.type === "message" && event.author === "shopper");
      const clientIds = messages.map((message) => message.clientId);
      // 0 lost, 0 duplicated, 0 gaps.
      for (const clientId of acked.get(shopper)!) expect(clientIds).toContain(clientId);
      expect(new Set(clientIds).size).toBe(clientIds.length);
      expect(timeline.map((event) => event.seq)).toEqual(timeline.map((_, index) => index + 1));
      for (const message of messages) {
        const completes = timeline.filter((event) => event.type === "answer-start" && event.replyTo === message.seq && timeline.some((end) => end.type === "answer-end" && end.answerId === event.answerId && end.status === "complete"));
        expect(completes, `answers to "${message.text}"`).toHaveLength(1);
      }
      interrupted += timeline.filter((event) => event.type === "answer-end" && event.status === "interrupted").length;
      const starts = timeline.filter((event) => event.type === "answer-start");
      for (const start of starts) expect(timeline.filter((event) => event.type === "answer-end" && event.answerId === start.answerId)).toHaveLength(1);
    }
    // The kill did cut answers mid-stream: they were closed as interrupted, and their questions answered again.
    expect(interrupted).toBeGreaterThan(0);
    // Each cut answer was closed by B, which cleared the dead server's "typing" at once (before answering again).
    const cut = [...seen.values()].filter((signals) => signals.includes("answer-end:interrupted"));
    expect(cut.length).toBeGreaterThan(0);
    for (const signals of cut) {
      expect(signals[signals.indexOf("answer-end:interrupted") + 1], signals.join(" ")).toBe("typing:false");
      expect(signals.at(-1), signals.join(" ")).toBe("typing:false");
    }
  }, 120_000);
});
