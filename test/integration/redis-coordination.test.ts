import { afterEach, describe, expect, it } from "vitest";
import { RedisCoordination } from "../../src/coordination/redis-coordination.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { redisProblem, TEST_REDIS_URL } from "../support/services.ts";

/** Two coordinations on one Redis stand for two servers. */
describe.skipIf(redisProblem !== null)(`coordination through Redis${redisProblem ? ` (skipped: ${redisProblem})` : ""}`, () => {
  const open: RedisCoordination[] = [];
  const pair = async () => {
    const url = new URL(TEST_REDIS_URL);
    url.pathname = `/${1 + Math.floor(Math.random() * 15)}`;
    const both = await Promise.all([0, 1].map(() => RedisCoordination.connect(url.toString(), createSilentLogger())));
    open.push(...both);
    return both as [RedisCoordination, RedisCoordination];
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((coordination) => coordination.close()));
  });

  it("share one bot turn at a time per conversation, and signals", async () => {
    const [a, b] = await pair();
    const conversationId = crypto.randomUUID();
    const lease = await a.claimTurn(conversationId);
    expect(lease).not.toBeNull();
    expect(await b.claimTurn(conversationId, { strict: true })).toBeNull();
    await lease!.release();
    const next = await b.claimTurn(conversationId, { strict: true });
    expect(next).not.toBeNull();
    await next!.release();

    // A claim that may wait gets the turn once its holder lets go, and gives up when it does not.
    const held = await a.claimTurn(conversationId);
    const waiting = b.claimTurn(conversationId, { strict: true, waitMs: 30_000 });
    setTimeout(() => void held!.release(), 200);
    const handedOver = await waiting;
    expect(handedOver?.checked).toBe(true);
    expect(await a.claimTurn(conversationId, { strict: true, waitMs: 120 })).toBeNull();
    await handedOver!.release();

    const received: unknown[] = [];
    b.onSignal((signal) => received.push(signal));
    await a.broadcast({ type: "stop-bot", conversationId });
    await expect.poll(() => received).toEqual([{ type: "stop-bot", conversationId }]);
  });

  it("count an agent online on either server once, and forget them when they leave", async () => {
    const [a, b] = await pair();
    const agentId = crypto.randomUUID();
    const before = b.presence.onlineAgents;
    a.presence.agentOnline(agentId);
    a.presence.agentOnline(agentId);
    await expect.poll(() => b.presence.onlineAgents).toBe(before + 1);
    b.presence.agentOnline(agentId);
    await expect.poll(() => a.presence.onlineAgents).toBe(before + 1);
    a.presence.agentOffline(agentId);
    a.presence.agentOffline(agentId);
    b.presence.agentOffline(agentId);
    await expect.poll(() => a.presence.onlineAgents).toBe(before);
    await expect.poll(() => b.presence.onlineAgents).toBe(before);
  });
});
