import type { AgentProfile } from "../protocol/agent-events.ts";

export type NewAgent = AgentProfile & { passwordHash: string; createdAt: string };
export type NewSession = { tokenHash: string; agentId: string; createdAt: string; expiresAt: string };

/**
 * Where agent accounts and their login sessions live. Only hashes of passwords and session tokens
 * are kept. createAgent refuses a second account with the same email with CONFLICT. Times are ISO
 * strings, compared as such.
 */
export interface AgentStore {
  countAgents(): Promise<number>;
  createAgent(agent: NewAgent): Promise<AgentProfile>;
  findByEmail(email: string): Promise<(AgentProfile & { passwordHash: string }) | null>;
  listAgents(): Promise<AgentProfile[]>;
  createSession(session: NewSession): Promise<void>;
  /** The agent of a live session: not revoked and not expired at `now`. */
  findSession(tokenHash: string, now: string): Promise<(AgentProfile & { expiresAt: string }) | null>;
  revokeSession(tokenHash: string, now: string): Promise<void>;
  /** Revoke every live session of an agent; how many were live. */
  revokeAgentSessions(agentId: string, now: string): Promise<number>;
  close(): Promise<void>;
}
