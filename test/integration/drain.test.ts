import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FakeLlmServer } from "../support/fake-llm-server.ts";
import { startServerNode, type ServerNode } from "../support/server-process.ts";
import { Shopper } from "../support/shopper.ts";
import { FIXTURE_KNOWLEDGE } from "../support/start-test-app.ts";

const processes: ServerNode[] = [];
const shoppers: Shopper[] = [];
let llm: FakeLlmServer | undefined;
let root: string | undefined;

afterAll(async () => {
  for (const shopper of shoppers) shopper.close();
  for (const server of processes) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  await llm?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A shopper that notes the drain notice and how and when its connection ended. */
function watched(url: string) {
  const shopper = new Shopper(url);
  shoppers.push(shopper);
  const seen = { draining: false, disconnect: new Promise<{ reason: string; at: number }>((resolve) => shopper.socket.once("disconnect", (reason) => resolve({ reason, at: Date.now() }))) };
  shopper.socket.on("server-draining", () => (seen.draining = true));
  return { shopper, seen };
}

describe("graceful drain on SIGTERM (a real server process)", () => {
  it("stops accepting, tells clients to reconnect, finishes the answer in progress, exits 0; clients resume on the next server", async () => {
    llm = await FakeLlmServer.start();
    llm.respondWith(() => ({ reply: `VERDICT: ANSWERED\n${"Orders placed before 4 pm ship the same day [1]. ".repeat(6)}`, chunkSize: 8, tokenMs: 50 }));
    root = await mkdtemp(join(tmpdir(), "kefu-drain-"));
    const knowledgeDir = join(root, "knowledge");
    await cp(FIXTURE_KNOWLEDGE, knowledgeDir, { recursive: true });
    const env = { DATA_DIR: join(root, "data"), KNOWLEDGE_DIR: knowledgeDir, LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "not-needed", LLM_MODEL: "fake", SHUTDOWN_GRACE_SECONDS: "15" };
    const first = await startServerNode(env);
    processes.push(first);

    const busy = watched(first.url);
    const idle = watched(first.url);
    await busy.shopper.start({ locale: "en" });
    await idle.shopper.start({ locale: "en" });
    const sent = await busy.shopper.send("How long does delivery take?");
    const question = sent.ok ? sent.data.seq : -1;
    await expect.poll(() => busy.shopper.deltas.length).toBeGreaterThan(0);

    first.child.kill("SIGTERM");
    const idleEnd = await idle.seen.disconnect;
    // The idle client is let go at once, told to reconnect (a transport close: socket.io clients reconnect on their own).
    expect(idleEnd.reason).toBe("transport close");
    expect(idle.seen.draining).toBe(true);
    // No new connections while draining.
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    // The answer in progress ends live, complete, before the busy client is let go.
    const end = await busy.shopper.answerTo(question);
    expect(end.status).toBe("complete");
    const busyEnd = await busy.seen.disconnect;
    expect(busyEnd.reason).toBe("transport close");
    expect(busy.seen.draining).toBe(true);
    expect(idleEnd.at).toBeLessThan(Date.parse(end.at));
    expect(await first.exited).toBe(0);

    // The next server (same data) takes both conversations where they were.
    const second = await startServerNode(env);
    processes.push(second);
    for (const before of [busy.shopper, idle.shopper]) {
      const resumed = new Shopper(second.url);
      shoppers.push(resumed);
      resumed.resumeToken = before.resumeToken;
      const ack = await resumed.start();
      expect(ack).toMatchObject({ ok: true, data: { conversationId: before.conversationId } });
      expect(resumed.timeline.filter((event) => event.type === "answer-end").map((event) => (event as { status: string }).status)).toEqual(before === busy.shopper ? ["complete"] : []);
    }
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
