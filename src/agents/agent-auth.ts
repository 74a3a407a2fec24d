import { randomBytes, randomUUID } from "node:crypto";
import { AppError, isAppError } from "../errors.ts";
import type { AgentProfile } from "../protocol/agent-events.ts";
import type { CreateAgentPayload } from "../protocol/agent-payloads.ts";
import type { LimiterFactory } from "../limits/limiters.ts";
import { hashToken } from "../tokens.ts";
import type { AgentAccount, AgentStore } from "./agent-store.ts";
import { LoginThrottle } from "./login-throttle.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

/** A new session; `lifetimeMs` is how long it lasts (for a cookie that does not depend on the browser's clock). */
export type Session = { token: string; agent: AgentProfile; expiresAt: string; lifetimeMs: number };
export type SessionEnd = "logged-out" | "revoked" | "disabled" | "password-changed" | "expired";

/**
 * Agent accounts and sessions: scrypt password hashes, random session tokens stored only as
 * hashes, expiry, revocation and disabled accounts checked on every use, and password guessing
 * slowed down by a LoginThrottle that cannot be used to lock a real agent out.
 */
export class AgentAuth {
  readonly #store: AgentStore;
  readonly #sessionMs: number;
  readonly #clock: () => Date;
  readonly #throttle: LoginThrottle;
  /** Called when sessions end, so open sockets of those sessions can be closed. */
  onSessionsEnded: (match: { tokenHash?: string; agentId?: string }, reason: SessionEnd) => void = () => undefined;

  /** `limiters`: where login throttling counts (this process by default; Redis shares it between servers). */
  constructor(options: { store: AgentStore; sessionHours: number; clock?: () => Date; limiters?: LimiterFactory }) {
    this.#store = options.store;
    this.#throttle = new LoginThrottle(options.limiters);
    this.#sessionMs = options.sessionHours * 3_600_000;
    this.#clock = options.clock ?? (() => new Date());
  }

  async createAgent(input: CreateAgentPayload): Promise<AgentProfile> {
    return this.#store.createAgent({
      id: randomUUID(),
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      createdAt: this.#clock().toISOString(),
    });
  }

  /** The first admin, from config, when there is no agent yet (servers starting at once: one creates it). */
  async ensureFirstAdmin(email: string, password: string): Promise<AgentProfile | null> {
    if ((await this.#store.countAgents()) > 0) return null;
    try {
      return await this.createAgent({ email: email.toLowerCase(), password, name: email.split("@")[0]!, role: "admin" });
    } catch (error) {
      if (isAppError(error, "CONFLICT")) return null;
      throw error;
    }
  }

  /** Log in from `ip` (the client's address, for throttling). */
  async login(email: string, password: string, ip = "unknown"): Promise<Session> {
    await this.#throttle.check(email, ip);
    const agent = await this.#store.findByEmail(email);
    // Verify against a dummy hash when the email is unknown, so timing does not reveal which emails exist.
    const valid = await verifyPassword(password, agent?.passwordHash ?? DUMMY_HASH);
    if (!agent || !valid) {
      throw new AppError("UNAUTHORIZED", "Wrong email or password.");
    }
    await this.#throttle.succeeded(email, ip);
    if (agent.disabled) throw new AppError("FORBIDDEN", "This account is disabled. Ask an admin to enable it.");
    return this.#startSession(profileOf(agent));
  }

  /** The agent behind a session token, or null when it is unknown, expired, revoked or disabled. */
  async authenticate(token: string | undefined): Promise<AgentProfile | null> {
    return (await this.session(token))?.agent ?? null;
  }

  /** The agent, when the session expires and how long it has left, or null (see authenticate). */
  async session(token: string | undefined): Promise<{ agent: AgentProfile; expiresAt: string; remainingMs: number } | null> {
    if (!token) return null;
    const now = this.#clock();
    const session = await this.#store.findSession(hashToken(token), now.toISOString());
    if (!session) return null;
    const { expiresAt, ...agent } = session;
    return { agent, expiresAt, remainingMs: Date.parse(expiresAt) - now.getTime() };
  }

  async logout(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await this.#store.revokeSession(tokenHash, this.#clock().toISOString());
    this.onSessionsEnded({ tokenHash }, "logged-out");
  }

  async revokeAgent(agentId: string, reason: SessionEnd = "revoked"): Promise<number> {
    const revoked = await this.#store.revokeAgentSessions(agentId, this.#clock().toISOString());
    this.onSessionsEnded({ agentId }, reason);
    return revoked;
  }

  /**
   * Disable an account (its sessions end and its sockets close at once) or enable it again. An
   * admin cannot disable themselves, and the last enabled admin cannot be disabled.
   */
  async setDisabled(agentId: string, disabled: boolean, by: AgentProfile): Promise<AgentAccount> {
    if (disabled) {
      if (agentId === by.id) throw new AppError("INVALID_STATE", "You cannot disable your own account.");
      const admins = (await this.#store.listAgents()).filter((agent) => agent.role === "admin" && !agent.disabled);
      if (admins.length === 1 && admins[0]!.id === agentId) throw new AppError("INVALID_STATE", "This is the last enabled admin.");
    }
    const account = await this.#store.setDisabled(agentId, disabled ? this.#clock().toISOString() : null);
    if (!account) throw new AppError("NOT_FOUND", "There is no such agent.");
    if (disabled) await this.revokeAgent(agentId, "disabled");
    return account;
  }

  /** An agent changes their own password: every session of theirs ends, and a new one is returned. */
  async changeOwnPassword(token: string, currentPassword: string, newPassword: string): Promise<Session> {
    const current = await this.session(token);
    if (!current) throw new AppError("UNAUTHORIZED", "Log in first.");
    const account = await this.#store.findById(current.agent.id);
    if (!account || !(await verifyPassword(currentPassword, account.passwordHash))) throw new AppError("FORBIDDEN", "The current password is wrong.");
    await this.#store.setPasswordHash(account.id, await hashPassword(newPassword));
    await this.revokeAgent(account.id, "password-changed");
    return this.#startSession(profileOf(account));
  }

  /** An admin sets an agent's password: that agent's sessions end. */
  async resetPassword(agentId: string, newPassword: string): Promise<void> {
    if (!(await this.#store.setPasswordHash(agentId, await hashPassword(newPassword)))) throw new AppError("NOT_FOUND", "There is no such agent.");
    await this.revokeAgent(agentId, "password-changed");
  }

  async findAgent(email: string): Promise<AgentAccount | null> {
    const account = await this.#store.findByEmail(email.toLowerCase());
    if (!account) return null;
    const { passwordHash: _hash, ...rest } = account;
    return rest;
  }

  listAgents(): Promise<AgentAccount[]> {
    return this.#store.listAgents();
  }

  /** Forget sessions that ended before `before`: they can never be used again. */
  deleteEndedSessions(before: Date): Promise<number> {
    return this.#store.deleteEndedSessions(before.toISOString());
  }

  async #startSession(agent: AgentProfile): Promise<Session> {
    const now = this.#clock().getTime();
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now + this.#sessionMs).toISOString();
    await this.#store.createSession({ tokenHash: hashToken(token), agentId: agent.id, createdAt: new Date(now).toISOString(), expiresAt });
    return { token, agent, expiresAt, lifetimeMs: this.#sessionMs };
  }
}

function profileOf(account: AgentProfile): AgentProfile {
  return { id: account.id, email: account.email, name: account.name, role: account.role };
}

const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
