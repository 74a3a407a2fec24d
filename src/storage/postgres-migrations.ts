import type { Postgres } from "./postgres.ts";

export type Migration = { version: number; name: string; sql: string };

/** Every Postgres table of Kefu, as ordered versions. Append new versions; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "agents, sessions, curation",
    sql: `
      CREATE TABLE agents (
        id text PRIMARY KEY,
        email text NOT NULL UNIQUE,
        name text NOT NULL,
        role text NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agents(id),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX sessions_agent ON sessions(agent_id);
      CREATE TABLE drafts (
        id text PRIMARY KEY, question text NOT NULL, answer text NOT NULL, lang text NOT NULL, conversation_id text,
        created_by text NOT NULL, status text NOT NULL, document_id text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
      );
      CREATE TABLE golden_questions (id text PRIMARY KEY, question text NOT NULL, product_id text, created_at timestamptz NOT NULL, position integer NOT NULL);`,
  },
];

/** Any fixed number works; it only has to be the same on every node. 0x6b656675 is "kefu". */
const MIGRATION_LOCK = 0x6b656675;

/**
 * Bring the schema up to date. Nodes starting at once queue on a session advisory lock, so each
 * version runs exactly once, in its own transaction; the others find it applied. Returns the
 * versions this call applied.
 */
export async function migrate(database: Postgres, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await database.connection();
  let broken = false;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await client.query("CREATE TABLE IF NOT EXISTS kefu_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
      const done = new Set((await client.query<{ version: number }>("SELECT version FROM kefu_migrations")).rows.map((row) => row.version));
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query("BEGIN");
        try {
          await client.query(migration.sql);
          await client.query("INSERT INTO kefu_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}
