import { AppError } from "../errors.ts";
import type { AgentProfile, AgentRole } from "../protocol/agent-events.ts";
import { openDatabase, type Database } from "../storage/database.ts";
import type { AgentAccount, AgentStore, NewAgent, NewSession } from "./agent-store.ts";

const MIGRATIONS = [
  `CREATE TABLE agents (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     created_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     agent_id TEXT NOT NULL REFERENCES agents(id),
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     revoked_at TEXT
   ) STRICT;
   CREATE INDEX sessions_agent ON sessions(agent_id);`,
  `ALTER TABLE agents ADD COLUMN disabled_at TEXT;
   CREATE INDEX sessions_expires ON sessions(expires_at);`,
];

type AgentRow = { id: string; email: string; name: string; role: string; password_hash: string; disabled_at: string | null };

/** Agent accounts and their login sessions in a SQLite file. */
export class SqliteAgentStore implements AgentStore {
  readonly #db: Database;

  constructor(path: string, options: { synchronous: "full" | "normal" }) {
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
  }

  async countAgents(): Promise<number> {
    return (this.#db.prepare("SELECT count(*) AS n FROM agents").get() as { n: number }).n;
  }

  async createAgent(agent: NewAgent): Promise<AgentProfile> {
    try {
      this.#db
        .prepare("INSERT INTO agents (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(agent.id, agent.email, agent.name, agent.role, agent.passwordHash, agent.createdAt);
    } catch (error) {
      if (String((error as Error).message).includes("UNIQUE")) throw new AppError("CONFLICT", `An agent with the email ${agent.email} already exists.`);
      throw error;
    }
    return { id: agent.id, email: agent.email, name: agent.name, role: agent.role };
  }

  async findByEmail(email: string): Promise<(AgentAccount & { passwordHash: string }) | null> {
    const row = this.#db.prepare("SELECT * FROM agents WHERE email = ?").get(email) as AgentRow | undefined;
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async findById(id: string): Promise<(AgentAccount & { passwordHash: string }) | null> {
    const row = this.#db.prepare("SELECT * FROM agents WHERE id = ?").get(id) as AgentRow | undefined;
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async listAgents(): Promise<AgentAccount[]> {
    return (this.#db.prepare("SELECT * FROM agents ORDER BY created_at").all() as AgentRow[]).map(toAccount);
  }

  async setDisabled(agentId: string, disabledAt: string | null): Promise<AgentAccount | null> {
    const row = this.#db.prepare("UPDATE agents SET disabled_at = ? WHERE id = ? RETURNING *").get(disabledAt, agentId) as AgentRow | undefined;
    return row ? toAccount(row) : null;
  }

  async setPasswordHash(agentId: string, passwordHash: string): Promise<boolean> {
    return Number(this.#db.prepare("UPDATE agents SET password_hash = ? WHERE id = ?").run(passwordHash, agentId).changes) > 0;
  }

  async deleteEndedSessions(before: string): Promise<number> {
    return Number(this.#db.prepare("DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?").run(before, before).changes);
  }

  async createSession(session: NewSession): Promise<void> {
    this.#db
      .prepare("INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .run(session.tokenHash, session.agentId, session.createdAt, session.expiresAt);
  }

  async findSession(tokenHash: string, now: string): Promise<(AgentProfile & { expiresAt: string }) | null> {
    const row = this.#db
      .prepare(
        `SELECT a.*, s.expires_at FROM sessions s JOIN agents a ON a.id = s.agent_id
         WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.disabled_at IS NULL`,
      )
      .get(tokenHash, now) as (AgentRow & { expires_at: string }) | undefined;
    return row ? { ...toProfile(row), expiresAt: row.expires_at } : null;
  }

  async revokeSession(tokenHash: string, now: string): Promise<void> {
    this.#db.prepare("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL").run(now, tokenHash);
  }

  async revokeAgentSessions(agentId: string, now: string): Promise<number> {
    return Number(this.#db.prepare("UPDATE sessions SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL").run(now, agentId).changes);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toProfile(row: AgentRow): AgentProfile {
  return { id: row.id, email: row.email, name: row.name, role: row.role as AgentRole };
}

function toAccount(row: AgentRow): AgentAccount {
  return { ...toProfile(row), disabled: row.disabled_at !== null };
}
