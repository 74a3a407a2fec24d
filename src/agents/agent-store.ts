import type { AgentProfile } from "../protocol/agent-events.ts";

export type NewAgent = AgentProfile & { passwordHash: string; createdAt: string };
/** An account as admins see it: disabled accounts cannot log in and have no live session. */
export type AgentAccount = AgentProfile & { disabled: boolean };
export type NewSession = { tokenHash: string; agentId: string; createdAt: string; expiresAt: string };

/**
 * Where agent accounts and their login sessions live. Only hashes of passwords and session tokens
 * are kept. createAgent refuses a second account with the same email with CONFLICT. Times are ISO
 * strings, compared as such.
 */
export interface AgentStore {
  countAgents(): Promise<number>;
  createAgent(agent: NewAgent): Promise<AgentProfile>;
  findByEmail(email: string): Promise<(AgentAccount & { passwordHash: string }) | null>;
  findById(id: string): Promise<(AgentAccount & { passwordHash: string }) | null>;
  listAgents(): Promise<AgentAccount[]>;
  /** Disable (with the time) or enable (null) an account; null when there is no such agent. */
  setDisabled(agentId: string, disabledAt: string | null): Promise<AgentAccount | null>;
  /** Replace an account's password hash; false when there is no such agent. */
  setPasswordHash(agentId: string, passwordHash: string): Promise<boolean>;
  /** Delete sessions that expired or were revoked before `before` (they can never be used again); how many. */
  deleteEndedSessions(before: string): Promise<number>;
  createSession(session: NewSession): Promise<void>;
  /** The agent of a live session: not revoked, not expired at `now`, and the account not disabled. */
  findSession(tokenHash: string, now: string): Promise<(AgentProfile & { expiresAt: string }) | null>;
  revokeSession(tokenHash: string, now: string): Promise<void>;
  /** Revoke every live session of an agent; how many were live. */
  revokeAgentSessions(agentId: string, now: string): Promise<number>;
  close(): Promise<void>;
}
