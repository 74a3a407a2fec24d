import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgConversationStore } from "../../src/conversations/pg-conversation-store.ts";
import type { EventBody } from "../../src/protocol/conversation-events.ts";
import { Postgres } from "../../src/storage/postgres.ts";
import { migrate } from "../../src/storage/postgres-migrations.ts";
import { createTestDatabase, postgresProblem } from "../support/services.ts";

const message = (text: string, clientId: string | null): EventBody => ({ type: "message", author: "shopper", text, clientId, authorName: null });

/** Two stores on two pools stand for two servers writing to the same conversations at once. */
describe.skipIf(postgresProblem !== null)(`two servers writing to one Postgres${postgresProblem ? ` (skipped: ${postgresProblem})` : ""}`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pools: Postgres[];
  let nodes: PgConversationStore[];
  beforeAll(async () => {
    database = await createTestDatabase();
    pools = await Promise.all([0, 1].map(() => Postgres.connect(database.url, { max: 4 })));
    await migrate(pools[0]!);
    nodes = pools.map((pool) => new PgConversationStore(pool));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await Promise.all(pools.map((pool) => pool.close()));
    await database?.drop();
  });

  it("number every conversation's events without gaps or repeats while both append at once", async () => {
    const ids = ["k1", "k2", "k3", "k4", "k5"];
    for (const id of ids) await nodes[0]!.createConversation({ id, tokenHash: `t-${id}`, productId: null, locale: null, now: new Date() });
    const writes = [];
    for (let round = 0; round < 60; round += 1) {
      for (const [index, node] of nodes.entries()) {
        // Each node writes to every conversation in its own order, the worst case for row locks.
        const order = index === 0 ? ids : [...ids].reverse();
        for (const id of order) writes.push(node.appendEvent(id, message(`${index}-${round}`, `${index}-${round}`), new Date()));
      }
    }
    const results = await Promise.all(writes);
    expect(results.every((result) => !result.duplicate)).toBe(true);
    for (const id of ids) {
      const events = await nodes[1]!.listEvents(id, 0);
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 120 }, (_, index) => index + 1));
      expect(new Set(events.map((event) => (event.type === "message" ? event.clientId : null))).size).toBe(120);
      // Each node's own writes to a conversation keep the order it made them in.
      for (const node of ["0", "1"]) {
        const rounds = events.flatMap((event) => (event.type === "message" && event.text.startsWith(`${node}-`) ? [Number(event.text.slice(2))] : []));
        expect(rounds).toEqual([...rounds].sort((a, b) => a - b));
      }
    }
  });

  it("accept a message sent to both at once exactly once", async () => {
    await nodes[0]!.createConversation({ id: "dup", tokenHash: "t-dup", productId: null, locale: null, now: new Date() });
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const both = await Promise.all(nodes.map((node) => node.appendEvent("dup", message("same", `same-${attempt}`), new Date())));
      expect(both.filter((result) => !result.duplicate)).toHaveLength(1);
      expect(both[0]!.event.seq).toBe(both[1]!.event.seq);
    }
    expect((await nodes[0]!.listEvents("dup", 0)).length).toBe(20);
  });

  it("never let the bot write after a take-over on the other server", async () => {
    await nodes[0]!.createConversation({ id: "race", tokenHash: "t-race", productId: null, locale: null, now: new Date() });
    const bot = (async () => {
      let written = 0;
      for (;;) {
        try {
          await nodes[0]!.appendEvent("race", { type: "answer-start", answerId: `a${written}`, replyTo: 0 }, new Date(), { expectedStates: ["bot"] });
          written += 1;
        } catch (error) {
          expect(error).toMatchObject({ code: "CONFLICT" });
          return written;
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const takeOver = await nodes[1]!.appendEvent("race", { type: "state-changed", state: "agent", reason: "take-over", by: "Mei" }, new Date(), {
      expectedStates: ["bot", "waiting"], assign: { id: "agent-1", name: "Mei" },
    });
    expect(await bot).toBeGreaterThan(0);
    const after = await nodes[0]!.listEvents("race", takeOver.event.seq);
    expect(after).toEqual([]);
  });
});
