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
  {
    version: 2,
    name: "conversations, events, hand-offs, notes, actions, feedback",
    sql: `
      CREATE TABLE conversations (
        id text PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        state text NOT NULL,
        product_id text,
        locale text,
        last_seq integer NOT NULL DEFAULT 0,
        assigned_agent_id text,
        assigned_agent_name text,
        open_answer_seq integer,
        last_message text,
        last_message_at timestamptz,
        contact_left boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX conversations_state ON conversations(state, updated_at);
      CREATE INDEX conversations_agent ON conversations(assigned_agent_id, state);
      CREATE INDEX conversations_open_answer ON conversations(open_answer_seq) WHERE open_answer_seq IS NOT NULL;
      CREATE TABLE events (
        conversation_id text NOT NULL REFERENCES conversations(id),
        seq integer NOT NULL,
        type text NOT NULL,
        client_id text,
        answer_id text,
        body jsonb NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      );
      CREATE UNIQUE INDEX events_client_id ON events(conversation_id, client_id) WHERE client_id IS NOT NULL;
      CREATE INDEX events_answer ON events(answer_id, type) WHERE answer_id IS NOT NULL;
      CREATE TABLE handoffs (
        conversation_id text NOT NULL REFERENCES conversations(id),
        seq integer NOT NULL,
        reason text NOT NULL,
        question text,
        confidence jsonb,
        passages jsonb NOT NULL,
        draft text,
        at timestamptz NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      );
      CREATE INDEX handoffs_at ON handoffs(at);
      CREATE TABLE notes (
        id text PRIMARY KEY,
        conversation_id text NOT NULL REFERENCES conversations(id),
        agent_id text NOT NULL,
        agent_name text NOT NULL,
        text text NOT NULL,
        at timestamptz NOT NULL
      );
      CREATE INDEX notes_conversation ON notes(conversation_id, at);
      CREATE TABLE agent_actions (
        id bigserial PRIMARY KEY,
        conversation_id text NOT NULL REFERENCES conversations(id),
        agent_id text NOT NULL,
        agent_name text NOT NULL,
        action text NOT NULL,
        at timestamptz NOT NULL
      );
      CREATE INDEX agent_actions_conversation ON agent_actions(conversation_id, at);
      CREATE TABLE answer_feedback (
        conversation_id text NOT NULL REFERENCES conversations(id),
        answer_id text NOT NULL,
        rating text NOT NULL CHECK (rating IN ('up', 'down')),
        at timestamptz NOT NULL,
        PRIMARY KEY (conversation_id, answer_id)
      );
      -- One append, as one round trip: lock the conversation row (so two nodes appending to it
      -- take turns and seq has no gaps), return the earlier event for a known clientId, check
      -- ownership and state (compare-and-set), then write. Refusals are returned, not raised,
      -- so the other appends of a group commit are unaffected.
      CREATE FUNCTION kefu_append(
        p_conversation text, p_type text, p_client_id text, p_answer_id text, p_body jsonb, p_at timestamptz,
        p_expected_states text[], p_check_agent boolean, p_expected_agent text,
        p_assign boolean, p_assign_id text, p_assign_name text, p_action text, p_actor_id text, p_actor_name text,
        p_handoff jsonb
      ) RETURNS TABLE (r_status text, r_seq integer, r_state text, r_owner text, r_body jsonb, r_at timestamptz)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        c conversations%ROWTYPE;
        e events%ROWTYPE;
        next_seq integer;
        shown text := CASE WHEN p_type = 'message' OR (p_type = 'answer-end' AND p_body ->> 'status' = 'complete') THEN p_body ->> 'text' END;
      BEGIN
        SELECT * INTO c FROM conversations WHERE id = p_conversation FOR UPDATE;
        IF NOT FOUND THEN
          RETURN QUERY SELECT 'not-found'::text, 0, NULL::text, NULL::text, NULL::jsonb, NULL::timestamptz;
          RETURN;
        END IF;
        IF p_client_id IS NOT NULL THEN
          SELECT * INTO e FROM events WHERE events.conversation_id = p_conversation AND events.client_id = p_client_id;
          IF FOUND THEN
            RETURN QUERY SELECT 'duplicate'::text, e.seq, NULL::text, NULL::text, e.body, e.at;
            RETURN;
          END IF;
        END IF;
        IF p_check_agent AND c.assigned_agent_id IS DISTINCT FROM p_expected_agent THEN
          RETURN QUERY SELECT 'forbidden'::text, 0, c.state, c.assigned_agent_name, NULL::jsonb, NULL::timestamptz;
          RETURN;
        END IF;
        IF p_expected_states IS NOT NULL AND NOT (c.state = ANY (p_expected_states)) THEN
          RETURN QUERY SELECT 'conflict'::text, 0, c.state, c.assigned_agent_name, NULL::jsonb, NULL::timestamptz;
          RETURN;
        END IF;
        next_seq := c.last_seq + 1;
        UPDATE conversations SET
          last_seq = next_seq,
          updated_at = p_at,
          open_answer_seq = CASE p_type WHEN 'answer-start' THEN next_seq WHEN 'answer-end' THEN NULL ELSE conversations.open_answer_seq END,
          last_message = coalesce(shown, conversations.last_message),
          last_message_at = CASE WHEN shown IS NULL THEN conversations.last_message_at ELSE p_at END,
          contact_left = conversations.contact_left OR p_type = 'contact',
          state = CASE WHEN p_type = 'state-changed' THEN p_body ->> 'state' ELSE conversations.state END,
          assigned_agent_id = CASE WHEN p_assign THEN p_assign_id ELSE conversations.assigned_agent_id END,
          assigned_agent_name = CASE WHEN p_assign THEN p_assign_name ELSE conversations.assigned_agent_name END
        WHERE id = p_conversation;
        INSERT INTO events (conversation_id, seq, type, client_id, answer_id, body, at)
          VALUES (p_conversation, next_seq, p_type, p_client_id, p_answer_id, p_body, p_at);
        IF p_action IS NOT NULL THEN
          INSERT INTO agent_actions (conversation_id, agent_id, agent_name, action, at) VALUES (p_conversation, p_actor_id, p_actor_name, p_action, p_at);
        END IF;
        IF p_handoff IS NOT NULL THEN
          INSERT INTO handoffs (conversation_id, seq, reason, question, confidence, passages, draft, at)
            VALUES (p_conversation, next_seq, p_handoff ->> 'reason', p_handoff ->> 'question', p_handoff -> 'confidence', p_handoff -> 'passages', p_handoff ->> 'draft', p_at);
        END IF;
        RETURN QUERY SELECT 'ok'::text, next_seq, NULL::text, NULL::text, NULL::jsonb, p_at;
      END
      $fn$;`,
  },
  {
    version: 3,
    name: "agent accounts can be disabled",
    sql: `
      ALTER TABLE agents ADD COLUMN disabled_at timestamptz;
      CREATE INDEX sessions_expires ON sessions (expires_at);`,
  },
  {
    version: 4,
    name: "knowledge: documents, passages with embeddings, versions",
    sql: `
      CREATE TABLE knowledge_state (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        store_id text NOT NULL,
        version integer NOT NULL DEFAULT 0,
        embedder text,
        folder_synced_at timestamptz
      );
      INSERT INTO knowledge_state (store_id) VALUES (gen_random_uuid()::text);
      CREATE TABLE knowledge_versions (
        version integer PRIMARY KEY, created_at timestamptz NOT NULL, origin text NOT NULL,
        added integer NOT NULL, updated integer NOT NULL, removed integer NOT NULL
      );
      CREATE TABLE knowledge_documents (
        id text PRIMARY KEY, source text NOT NULL, hash text NOT NULL, product_id text, lang text NOT NULL,
        kind text NOT NULL, title text NOT NULL, url text, updated_at timestamptz NOT NULL, version integer NOT NULL
      );
      CREATE INDEX knowledge_documents_source ON knowledge_documents(source);
      CREATE INDEX knowledge_documents_version ON knowledge_documents(version);
      CREATE SEQUENCE knowledge_passage_label;
      CREATE TABLE knowledge_passages (
        label bigint PRIMARY KEY,
        key text NOT NULL UNIQUE,
        document_id text NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
        product_id text, lang text NOT NULL, kind text NOT NULL, title text NOT NULL, text text NOT NULL, url text,
        embedding bytea NOT NULL,
        terms text NOT NULL,
        version integer NOT NULL
      );
      CREATE INDEX knowledge_passages_document ON knowledge_passages(document_id);
      CREATE INDEX knowledge_passages_version ON knowledge_passages(version, label);
      CREATE TABLE knowledge_history (
        version integer NOT NULL, document_id text NOT NULL, op text NOT NULL, content jsonb,
        PRIMARY KEY (version, document_id)
      );
      CREATE INDEX knowledge_history_document ON knowledge_history(document_id, version);
      CREATE TABLE knowledge_removed_labels (version integer NOT NULL, label bigint NOT NULL, product_id text, PRIMARY KEY (version, label));
      CREATE TABLE knowledge_source_files (source text PRIMARY KEY, hash text NOT NULL);`,
  },
  {
    version: 5,
    name: "privacy deletions log, recommendations shown and clicked",
    sql: `
      CREATE TABLE privacy_deletions (
        id text PRIMARY KEY, at timestamptz NOT NULL, by text NOT NULL, reason text NOT NULL, conversations integer NOT NULL, conversation_ids jsonb NOT NULL
      );
      CREATE INDEX privacy_deletions_at ON privacy_deletions(at);
      CREATE INDEX conversations_updated ON conversations(updated_at);
      CREATE TABLE recommendations (
        answer_id text NOT NULL, sku text NOT NULL, shown_at timestamptz NOT NULL, clicked_at timestamptz,
        PRIMARY KEY (answer_id, sku)
      );
      CREATE INDEX recommendations_sku ON recommendations(sku);`,
  },
  {
    version: 6,
    name: "catalog lines FAQ drafts were made from",
    sql: `
      CREATE TABLE catalog_drafted_entries (
        sku text NOT NULL, lang text NOT NULL, hash text NOT NULL, draft_ids jsonb NOT NULL, at timestamptz NOT NULL,
        PRIMARY KEY (sku, lang)
      );`,
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
