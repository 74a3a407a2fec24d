import { afterEach, describe, expect, it } from "vitest";
import { AgentClient } from "../support/agent-client.ts";
import { Shopper } from "../support/shopper.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
let server: TestApp | undefined;
const closers: { close(): void }[] = [];

afterEach(async () => {
  for (const client of closers.splice(0)) client.close();
  await server?.close();
  server = undefined;
});

const scrape = (headers: Record<string, string> = {}) => fetch(`${server!.url}/metrics`, { headers });
/** The value of one sample, e.g. value(text, 'kefu_answers_total{status="complete"}'). */
const value = (text: string, sample: string) => {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
};

describe("GET /metrics", () => {
  it("reports sockets, messages, answers, latencies, hand-offs, the queue and its wait, knowledge and the event loop", async () => {
    server = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
    const shopper = new Shopper(server.url);
    closers.push(shopper);
    await shopper.start({ locale: "en" });
    const sent = await shopper.send("How long does delivery take?");
    expect((await shopper.answerTo(sent.ok ? sent.data.seq : -1)).status).toBe("complete");
    await shopper.send("I want to talk to a person");
    await shopper.waitFor((event) => event.type === "state-changed" && event.state === "waiting");

    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(value(text, 'kefu_sockets_connected{namespace="chat"}')).toBe(1);
    expect(value(text, 'kefu_sockets_connected{namespace="agent"}')).toBe(0);
    expect(value(text, 'kefu_messages_total{author="shopper"}')).toBe(2);
    expect(value(text, 'kefu_answers_total{status="complete"}')).toBe(1);
    expect(value(text, 'kefu_handoffs_total{reason="shopper-request"}')).toBe(1);
    expect(value(text, "kefu_queue_length")).toBe(1);
    expect(value(text, "kefu_answer_first_token_seconds_count")).toBe(1);
    expect(value(text, "kefu_answer_seconds_count")).toBe(1);
    expect(value(text, "kefu_retrieval_seconds_count")).toBe(1);
    // The parts of the answered turn before its first shown text (the offline answerer asks no model).
    for (const phase of ["queue", "prepare", "shopping", "retrieval", "first-shown"]) expect(value(text, `kefu_bot_turn_phase_seconds_count{phase="${phase}"}`), phase).toBe(1);
    expect(value(text, 'kefu_bot_turn_phase_seconds_count{phase="model-first-chunk"}')).toBeUndefined();
    expect(value(text, 'kefu_ack_seconds_count{event="message-send",outcome="ok"}')).toBe(2);
    expect(value(text, 'kefu_ack_seconds_count{event="conversation-start",outcome="ok"}')).toBe(1);
    expect(value(text, "kefu_knowledge_version")).toBe(await server.app.knowledge.version());
    expect(value(text, 'kefu_bot_answers{state="active"}')).toBe(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^# HELP kefu_llm_calls_total /m);

    const agent = await AgentClient.connect(server.url, ADMIN.email, ADMIN.password);
    closers.push({ close: () => agent.socket.close() });
    expect((await agent.emit("conversation-take-over", { conversationId: shopper.conversationId! })).ok).toBe(true);
    const after = await (await scrape()).text();
    expect(value(after, "kefu_queue_wait_seconds_count")).toBe(1);
    expect(value(after, "kefu_queue_length")).toBe(0);
    expect(value(after, 'kefu_sockets_connected{namespace="agent"}')).toBe(1);
  });

  it("answers loopback clients only, judged by the address behind trusted proxies", async () => {
    server = await startTestApp();
    expect((await scrape()).status).toBe(200);
    const relayed = await scrape({ "x-forwarded-for": "203.0.113.7" });
    expect(relayed.status).toBe(403);
    expect(await relayed.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("with METRICS_TOKEN, asks every client for it as a bearer token", async () => {
    server = await startTestApp({ env: { METRICS_TOKEN: "metrics-token-0123456789" } });
    expect((await scrape()).status).toBe(401);
    expect((await scrape({ authorization: "Bearer metrics-token-0123456780" })).status).toBe(401);
    const allowed = await scrape({ authorization: "Bearer metrics-token-0123456789", "x-forwarded-for": "203.0.113.7" });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("kefu_limits_hit_total");
  });
});
