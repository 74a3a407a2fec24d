import { AppError } from "../errors.ts";
import type { AgentProfile, AgentRole } from "../protocol/agent-events.ts";
import { sqlState, type Postgres } from "../storage/postgres.ts";
import type { AgentAccount, AgentStore, NewAgent, NewSession } from "./agent-store.ts";

type AgentRow = { id: string; email: string; name: string; role: string; password_hash: string; disabled_at: Date | null };

/** Agent accounts and their login sessions in Postgres (tables of migration 1). */
export class PgAgentStore implements AgentStore {
  readonly #db: Postgres;

  constructor(database: Postgres) {
    this.#db = database;
  }

  async countAgents(): Promise<number> {
    const [row] = await this.#db.query<{ n: number }>("SELECT count(*) AS n FROM agents");
    return row!.n;
  }

  async createAgent(agent: NewAgent): Promise<AgentProfile> {
    try {
      await this.#db.query("INSERT INTO agents (id, email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [
        agent.id, agent.email, agent.name, agent.role, agent.passwordHash, agent.createdAt,
      ]);
    } catch (error) {
      if (sqlState(error) === "23505") throw new AppError("CONFLICT", `An agent with the email ${agent.email} already exists.`);
      throw error;
    }
    return { id: agent.id, email: agent.email, name: agent.name, role: agent.role };
  }

  async findByEmail(email: string): Promise<(AgentAccount & { passwordHash: string }) | null> {
    const [row] = await this.#db.query<AgentRow>("SELECT * FROM agents WHERE email = $1", [email]);
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async findById(id: string): Promise<(AgentAccount & { passwordHash: string }) | null> {
    const [row] = await this.#db.query<AgentRow>("SELECT * FROM agents WHERE id = $1", [id]);
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async listAgents(): Promise<AgentAccount[]> {
    return (await this.#db.query<AgentRow>("SELECT * FROM agents ORDER BY created_at, id")).map(toAccount);
  }

  async setDisabled(agentId: string, disabledAt: string | null): Promise<AgentAccount | null> {
    const [row] = await this.#db.query<AgentRow>("UPDATE agents SET disabled_at = $1 WHERE id = $2 RETURNING *", [disabledAt, agentId]);
    return row ? toAccount(row) : null;
  }

  async setPasswordHash(agentId: string, passwordHash: string): Promise<boolean> {
    return (await this.#db.query("UPDATE agents SET password_hash = $1 WHERE id = $2 RETURNING id", [passwordHash, agentId])).length > 0;
  }

  async deleteEndedSessions(before: string): Promise<number> {
    return (await this.#db.query("DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1 RETURNING token_hash", [before])).length;
  }

  async createSession(session: NewSession): Promise<void> {
    await this.#db.query("INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", [
      session.tokenHash, session.agentId, session.createdAt, session.expiresAt,
    ]);
  }

  async findSession(tokenHash: string, now: string): Promise<(AgentProfile & { expiresAt: string }) | null> {
    const [row] = await this.#db.query<AgentRow & { expires_at: string }>(
      `SELECT a.*, s.expires_at FROM sessions s JOIN agents a ON a.id = s.agent_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND a.disabled_at IS NULL`,
      [tokenHash, now],
    );
    return row ? { ...toProfile(row), expiresAt: row.expires_at } : null;
  }

  async revokeSession(tokenHash: string, now: string): Promise<void> {
    await this.#db.query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL", [now, tokenHash]);
  }

  async revokeAgentSessions(agentId: string, now: string): Promise<number> {
    const rows = await this.#db.query("UPDATE sessions SET revoked_at = $1 WHERE agent_id = $2 AND revoked_at IS NULL RETURNING token_hash", [now, agentId]);
    return rows.length;
  }

  /** The pool is shared with the other stores; the composition root closes it. */
  async close(): Promise<void> {}
}

function toProfile(row: AgentRow): AgentProfile {
  return { id: row.id, email: row.email, name: row.name, role: row.role as AgentRole };
}

function toAccount(row: AgentRow): AgentAccount {
  return { ...toProfile(row), disabled: row.disabled_at !== null };
}
