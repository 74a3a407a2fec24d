import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ConversationEvent } from "../../src/protocol/conversation-events.ts";
import { startServerNode, type ServerNode } from "../support/server-process.ts";
import { Shopper } from "../support/shopper.ts";
import { FIXTURE_KNOWLEDGE } from "../support/start-test-app.ts";

const processes: ServerNode[] = [];
const shoppers: Shopper[] = [];
let root: string | undefined;

afterAll(async () => {
  for (const shopper of shoppers) shopper.close();
  for (const server of processes) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  if (root) await rm(root, { recursive: true, force: true });
});

const track = (shopper: Shopper) => (shoppers.push(shopper), shopper);

describe("kill -9 under load (SQLite, writes in the writer thread)", () => {
  it("loses no acknowledged message, repeats none, and leaves seq gapless", async () => {
    root = await mkdtemp(join(tmpdir(), "kefu-crash-"));
    const knowledgeDir = join(root, "knowledge");
    await cp(FIXTURE_KNOWLEDGE, knowledgeDir, { recursive: true });
    const env = { DATA_DIR: join(root, "data"), KNOWLEDGE_DIR: knowledgeDir, DB_SYNCHRONOUS: "full" };
    const first = await startServerNode(env);
    processes.push(first);

    const before = Array.from({ length: 12 }, () => track(new Shopper(first.url)));
    await Promise.all(before.map((shopper) => shopper.start({ locale: "en" })));
    const acked = before.map(() => new Set<string>());
    let stop = false;
    let ackCount = 0;
    // Every shopper sends as fast as its acks come back (and the bot answers each), until the kill.
    const load = before.map(async (shopper, index) => {
      for (let sent = 0; !stop; sent += 1) {
        const clientId = `s${index}-m${sent}-${crypto.randomUUID()}`;
        const ack = await shopper.send(`How long does delivery take? (${index}.${sent})`, clientId).catch(() => null);
        if (!ack) return;
        if (ack.ok) (acked[index]!.add(clientId), (ackCount += 1));
      }
    });
    while (ackCount < 150) await new Promise((resolve) => setTimeout(resolve, 20));
    await first.kill();
    stop = true;
    await Promise.allSettled(load);

    const second = await startServerNode({ ...env });
    processes.push(second);
    for (const [index, old] of before.entries()) {
      const shopper = track(new Shopper(second.url));
      shopper.resumeToken = old.resumeToken;
      const resumed = await shopper.start({ lastSeq: 0 });
      expect(resumed.ok).toBe(true);
      const timeline: ConversationEvent[] = resumed.ok ? resumed.data.events : [];
      const clientIds = timeline.filter((event): event is ConversationEvent & { type: "message" } => event.type === "message" && event.author === "shopper").map((event) => event.clientId);
      // 0 lost, 0 duplicated, 0 gaps.
      for (const clientId of acked[index]!) expect(clientIds).toContain(clientId);
      expect(new Set(clientIds).size).toBe(clientIds.length);
      expect(timeline.map((event) => event.seq)).toEqual(timeline.map((_, position) => position + 1));
    }
    expect(ackCount).toBeGreaterThanOrEqual(150);
  }, 120_000);
});
