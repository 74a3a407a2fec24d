import type { Postgres } from "../storage/postgres.ts";
import type { ConversationExport, DeletionRecord, PrivacyStore } from "./privacy-store.ts";

/** The tables that hang off a conversation, deleted before it. */
const CHILD_TABLES = ["events", "handoffs", "notes", "agent_actions", "answer_feedback"] as const;

/** PrivacyStore over the Postgres conversation tables (the conversation store's schema), with the deletions log beside them. */
export class PgPrivacyStore implements PrivacyStore {
  readonly #pg: Postgres;

  constructor(pg: Postgres) {
    this.#pg = pg;
  }

  async conversationsByEmail(email: string): Promise<string[]> {
    const pattern = `%${email.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const rows = await this.#pg.query<{ id: string }>(
      `SELECT DISTINCT conversation_id AS id FROM events
       WHERE (type = 'contact' AND lower(body ->> 'email') = $1)
          OR (type = 'message' AND lower(body ->> 'text') LIKE $2 ESCAPE '\\')`,
      [email.toLowerCase(), pattern],
    );
    return rows.map((row) => row.id);
  }

  async existing(ids: readonly string[]): Promise<string[]> {
    const found = new Set((await this.#pg.query<{ id: string }>("SELECT id FROM conversations WHERE id = ANY($1::text[])", [ids])).map((row) => row.id));
    return ids.filter((id) => found.has(id));
  }

  async exportConversations(ids: readonly string[]): Promise<ConversationExport[]> {
    const all = (sql: string, id: string) => this.#pg.query(sql, [id]);
    const exports: ConversationExport[] = [];
    for (const id of await this.existing(ids)) {
      exports.push({
        conversation: (await all("SELECT id, state, product_id, locale, created_at, updated_at, assigned_agent_name FROM conversations WHERE id = $1", id))[0]!,
        events: await all("SELECT seq, type, body, at FROM events WHERE conversation_id = $1 ORDER BY seq", id),
        handoffs: await all("SELECT seq, reason, question, confidence, passages, draft, at FROM handoffs WHERE conversation_id = $1 ORDER BY seq", id),
        notes: await all("SELECT agent_name, text, at FROM notes WHERE conversation_id = $1 ORDER BY at", id),
        agentActions: await all("SELECT agent_name, action, at FROM agent_actions WHERE conversation_id = $1 ORDER BY at, id", id),
        feedback: await all("SELECT answer_id, rating, at FROM answer_feedback WHERE conversation_id = $1 ORDER BY at", id),
      });
    }
    return exports;
  }

  async deleteConversations(ids: readonly string[]): Promise<number> {
    return this.#pg.transaction(async (client) => {
      for (const table of CHILD_TABLES) await client.query(`DELETE FROM ${table} WHERE conversation_id = ANY($1::text[])`, [ids]);
      return (await client.query("DELETE FROM conversations WHERE id = ANY($1::text[]) RETURNING id", [ids])).length;
    });
  }

  async inactiveSince(before: string, limit: number): Promise<string[]> {
    return (await this.#pg.query<{ id: string }>("SELECT id FROM conversations WHERE updated_at < $1 LIMIT $2", [before, limit])).map((row) => row.id);
  }

  async recordDeletion(record: DeletionRecord): Promise<void> {
    await this.#pg.query(
      "INSERT INTO privacy_deletions (id, at, by, reason, conversations, conversation_ids) VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
      [record.id, record.at, record.by, record.reason, record.conversations, JSON.stringify(record.conversationIds)],
    );
  }

  async listDeletions(limit: number): Promise<DeletionRecord[]> {
    const rows = await this.#pg.query<{ id: string; at: string; by: string; reason: string; conversations: number; conversation_ids: string[] }>(
      "SELECT id, at, by, reason, conversations, conversation_ids FROM privacy_deletions ORDER BY at DESC LIMIT $1",
      [limit],
    );
    return rows.map((row) => ({ id: row.id, at: row.at, by: row.by, reason: row.reason as DeletionRecord["reason"], conversations: row.conversations, conversationIds: row.conversation_ids }));
  }

  /** The pool is the caller's. */
  async close(): Promise<void> {}
}
