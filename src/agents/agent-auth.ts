import { createHash, randomBytes, randomUUID } from "node:crypto";
import { AppError, isAppError } from "../errors.ts";
import type { AgentProfile } from "../protocol/agent-events.ts";
import type { CreateAgentPayload } from "../protocol/agent-payloads.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import type { AgentStore } from "./agent-store.ts";

export type Session = { token: string; agent: AgentProfile; expiresAt: string };

/** Failed logins allowed before each further attempt must wait, doubling up to MAX_DELAY_MS. */
const FREE_FAILURES = 3;
const MAX_DELAY_MS = 5 * 60_000;

/**
 * Agent accounts and sessions: scrypt password hashes, random session tokens stored only as
 * hashes, expiry and revocation checked on every use, and repeated failed logins slowed down per
 * email so guessing a password takes forever.
 */
export class AgentAuth {
  readonly #store: AgentStore;
  readonly #sessionMs: number;
  readonly #clock: () => Date;
  readonly #failures = new Map<string, { count: number; until: number }>();
  /** Called when sessions end, so open sockets of those sessions can be closed. */
  onSessionsEnded: (match: { tokenHash?: string; agentId?: string }, reason: string) => void = () => undefined;

  constructor(options: { store: AgentStore; sessionHours: number; clock?: () => Date }) {
    this.#store = options.store;
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

  async login(email: string, password: string): Promise<Session> {
    const now = this.#clock().getTime();
    const failure = this.#failures.get(email);
    if (failure && failure.until > now) {
      throw new AppError("RATE_LIMITED", `Too many failed attempts. Try again in ${Math.ceil((failure.until - now) / 1000)} s.`);
    }
    const agent = await this.#store.findByEmail(email);
    // Verify against a dummy hash when the email is unknown, so timing does not reveal which emails exist.
    const valid = await verifyPassword(password, agent?.passwordHash ?? DUMMY_HASH);
    if (!agent || !valid) {
      const count = (failure?.count ?? 0) + 1;
      const delay = count > FREE_FAILURES ? Math.min(MAX_DELAY_MS, 1000 * 2 ** (count - FREE_FAILURES - 1)) : 0;
      this.#failures.set(email, { count, until: now + delay });
      throw new AppError("UNAUTHORIZED", "Wrong email or password.");
    }
    this.#failures.delete(email);
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now + this.#sessionMs).toISOString();
    await this.#store.createSession({ tokenHash: hashToken(token), agentId: agent.id, createdAt: new Date(now).toISOString(), expiresAt });
    const { passwordHash: _hash, ...profile } = agent;
    return { token, agent: profile, expiresAt };
  }

  /** The agent behind a session token, or null when it is unknown, expired or revoked. */
  async authenticate(token: string | undefined): Promise<AgentProfile | null> {
    if (!token) return null;
    const session = await this.#store.findSession(hashToken(token), this.#clock().toISOString());
    if (!session) return null;
    const { expiresAt: _expires, ...agent } = session;
    return agent;
  }

  async logout(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await this.#store.revokeSession(tokenHash, this.#clock().toISOString());
    this.onSessionsEnded({ tokenHash }, "logged-out");
  }

  async revokeAgent(agentId: string): Promise<number> {
    const revoked = await this.#store.revokeAgentSessions(agentId, this.#clock().toISOString());
    this.onSessionsEnded({ agentId }, "revoked");
    return revoked;
  }

  listAgents(): Promise<AgentProfile[]> {
    return this.#store.listAgents();
  }
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
