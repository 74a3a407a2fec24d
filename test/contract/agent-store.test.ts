import { join } from "node:path";
import { expect, it } from "vitest";
import type { AgentStore } from "../../src/agents/agent-store.ts";
import { PgAgentStore } from "../../src/agents/pg-agent-store.ts";
import { SqliteAgentStore } from "../../src/agents/sqlite-agent-store.ts";
import { describeContract, storeBackends } from "../support/store-backends.ts";

const backends = storeBackends<AgentStore>({
  sqlite: (dir) => new SqliteAgentStore(join(dir, "agents.db"), { synchronous: "normal" }),
  postgres: (database) => new PgAgentStore(database),
});

const agent = (id: string, email: string, createdAt: string) => ({ id, email, name: id, role: "agent" as const, passwordHash: `hash-${id}`, createdAt });

describeContract("AgentStore", backends, (opened) => {

  it("creates, finds and lists agents, refusing a second account with the same email", async () => {
    const store = opened.store;
    expect(await store.countAgents()).toBe(0);
    expect(await store.createAgent(agent("a1", "mei@shop.test", "2026-01-01T00:00:00.000Z"))).toEqual({ id: "a1", email: "mei@shop.test", name: "a1", role: "agent" });
    await store.createAgent({ ...agent("a2", "li@shop.test", "2026-01-02T00:00:00.000Z"), role: "admin" });
    await expect(store.createAgent(agent("a3", "mei@shop.test", "2026-01-03T00:00:00.000Z"))).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await store.countAgents()).toBe(2);
    expect(await store.findByEmail("mei@shop.test")).toEqual({ id: "a1", email: "mei@shop.test", name: "a1", role: "agent", disabled: false, passwordHash: "hash-a1" });
    expect(await store.findByEmail("nobody@shop.test")).toBeNull();
    expect((await store.listAgents()).map((profile) => [profile.id, profile.role])).toEqual([["a1", "agent"], ["a2", "admin"]]);
  });

  it("finds a session only while it is live: not expired, not revoked", async () => {
    const store = opened.store;
    await store.createAgent(agent("a1", "mei@shop.test", "2026-01-01T00:00:00.000Z"));
    await store.createSession({ tokenHash: "t1", agentId: "a1", createdAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-01-01T12:00:00.000Z" });
    await store.createSession({ tokenHash: "t2", agentId: "a1", createdAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-01-01T12:00:00.000Z" });
    expect(await store.findSession("t1", "2026-01-01T11:59:59.000Z")).toEqual({ id: "a1", email: "mei@shop.test", name: "a1", role: "agent", expiresAt: "2026-01-01T12:00:00.000Z" });
    expect(await store.findSession("t1", "2026-01-01T12:00:00.000Z")).toBeNull();
    expect(await store.findSession("unknown", "2026-01-01T01:00:00.000Z")).toBeNull();
    await store.revokeSession("t1", "2026-01-01T01:00:00.000Z");
    expect(await store.findSession("t1", "2026-01-01T01:00:01.000Z")).toBeNull();
    expect(await store.findSession("t2", "2026-01-01T01:00:01.000Z")).not.toBeNull();
  });

  it("revokes every live session of one agent and counts them", async () => {
    const store = opened.store;
    await store.createAgent(agent("a1", "mei@shop.test", "2026-01-01T00:00:00.000Z"));
    await store.createAgent(agent("a2", "li@shop.test", "2026-01-01T00:00:00.000Z"));
    for (const [tokenHash, agentId] of [["t1", "a1"], ["t2", "a1"], ["t3", "a2"]] as const) {
      await store.createSession({ tokenHash, agentId, createdAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-01-02T00:00:00.000Z" });
    }
    await store.revokeSession("t1", "2026-01-01T01:00:00.000Z");
    expect(await store.revokeAgentSessions("a1", "2026-01-01T02:00:00.000Z")).toBe(1);
    expect(await store.revokeAgentSessions("a1", "2026-01-01T03:00:00.000Z")).toBe(0);
    expect(await store.findSession("t2", "2026-01-01T04:00:00.000Z")).toBeNull();
    expect(await store.findSession("t3", "2026-01-01T04:00:00.000Z")).toMatchObject({ id: "a2" });
  });

  it("disables and enables an account (a disabled account has no live session), changes its password, and forgets ended sessions", async () => {
    const store = opened.store;
    await store.createAgent(agent("a1", "mei@shop.test", "2026-01-01T00:00:00.000Z"));
    await store.createSession({ tokenHash: "t1", agentId: "a1", createdAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-01-02T00:00:00.000Z" });
    expect(await store.setDisabled("a1", "2026-01-01T01:00:00.000Z")).toMatchObject({ id: "a1", disabled: true });
    expect(await store.findById("a1")).toMatchObject({ disabled: true, passwordHash: "hash-a1" });
    expect(await store.findSession("t1", "2026-01-01T02:00:00.000Z")).toBeNull();
    expect(await store.setDisabled("a1", null)).toMatchObject({ disabled: false });
    expect(await store.findSession("t1", "2026-01-01T02:00:00.000Z")).toMatchObject({ id: "a1" });
    expect(await store.setDisabled("nobody", null)).toBeNull();
    expect(await store.setPasswordHash("a1", "hash-new")).toBe(true);
    expect(await store.setPasswordHash("nobody", "hash-new")).toBe(false);
    expect(await store.findByEmail("mei@shop.test")).toMatchObject({ passwordHash: "hash-new" });
    await store.createSession({ tokenHash: "t2", agentId: "a1", createdAt: "2026-01-01T00:00:00.000Z", expiresAt: "2026-01-01T06:00:00.000Z" });
    await store.revokeSession("t1", "2026-01-01T03:00:00.000Z");
    expect(await store.deleteEndedSessions("2026-01-01T05:00:00.000Z")).toBe(1);
    expect(await store.deleteEndedSessions("2026-01-01T07:00:00.000Z")).toBe(1);
    expect(await store.deleteEndedSessions("2026-01-01T07:00:00.000Z")).toBe(0);
  });
});
