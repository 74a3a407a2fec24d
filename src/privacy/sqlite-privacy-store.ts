import { openDatabase, transaction, type Database } from "../storage/database.ts";
import type { ConversationExport, DeletionRecord, PrivacyStore } from "./privacy-store.ts";

const LOG_MIGRATIONS = [
  `CREATE TABLE deletions (
     id TEXT PRIMARY KEY, at TEXT NOT NULL, by TEXT NOT NULL, reason TEXT NOT NULL, conversations INTEGER NOT NULL, conversation_ids TEXT NOT NULL
   ) STRICT;
   CREATE INDEX deletions_at ON deletions(at);`,
];
/** The tables that hang off a conversation, deleted before it. */
const CHILD_TABLES = ["events", "handoffs", "notes", "agent_actions", "answer_feedback"] as const;
const JSON_COLUMNS = new Set(["body", "confidence", "passages"]);

/**
 * PrivacyStore over the conversation store's SQLite file (a second connection; its schema is the
 * conversation store's, already migrated) and a small deletions log in privacy.db.
 */
export class SqlitePrivacyStore implements PrivacyStore {
  readonly #conversations: Database;
  readonly #log: Database;

  constructor(paths: { conversations: string; log: string }, options: { synchronous: "full" | "normal" }) {
    this.#conversations = openDatabase(paths.conversations, { migrations: [], synchronous: options.synchronous });
    this.#log = openDatabase(paths.log, { migrations: LOG_MIGRATIONS, synchronous: options.synchronous });
  }

  async conversationsByEmail(email: string): Promise<string[]> {
    const pattern = `%${email.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const rows = this.#conversations
      .prepare(
        `SELECT DISTINCT conversation_id AS id FROM events
         WHERE (type = 'contact' AND lower(body ->> '$.email') = ?)
            OR (type = 'message' AND lower(body ->> '$.text') LIKE ? ESCAPE '\\')`,
      )
      .all(email.toLowerCase(), pattern) as { id: string }[];
    return rows.map((row) => row.id);
  }

  async existing(ids: readonly string[]): Promise<string[]> {
    const statement = this.#conversations.prepare("SELECT id FROM conversations WHERE id = ?");
    return ids.filter((id) => statement.get(id));
  }

  async exportConversations(ids: readonly string[]): Promise<ConversationExport[]> {
    const all = (sql: string, id: string) => (this.#conversations.prepare(sql).all(id) as Record<string, unknown>[]).map(parseJsonColumns);
    return (await this.existing(ids)).map((id) => ({
      conversation: all("SELECT id, state, product_id, locale, created_at, updated_at, assigned_agent_name FROM conversations WHERE id = ?", id)[0]!,
      events: all("SELECT seq, type, body, at FROM events WHERE conversation_id = ? ORDER BY seq", id),
      handoffs: all("SELECT seq, reason, question, confidence, passages, draft, at FROM handoffs WHERE conversation_id = ? ORDER BY seq", id),
      notes: all("SELECT agent_name, text, at FROM notes WHERE conversation_id = ? ORDER BY at", id),
      agentActions: all("SELECT agent_name, action, at FROM agent_actions WHERE conversation_id = ? ORDER BY at", id),
      feedback: all("SELECT answer_id, rating, at FROM answer_feedback WHERE conversation_id = ? ORDER BY at", id),
    }));
  }

  async deleteConversations(ids: readonly string[]): Promise<number> {
    return transaction(this.#conversations, () => {
      let deleted = 0;
      for (const id of ids) {
        for (const table of CHILD_TABLES) this.#conversations.prepare(`DELETE FROM ${table} WHERE conversation_id = ?`).run(id);
        deleted += Number(this.#conversations.prepare("DELETE FROM conversations WHERE id = ?").run(id).changes);
      }
      return deleted;
    });
  }

  async inactiveSince(before: string, limit: number): Promise<string[]> {
    return (this.#conversations.prepare("SELECT id FROM conversations WHERE updated_at < ? LIMIT ?").all(before, limit) as { id: string }[]).map((row) => row.id);
  }

  async recordDeletion(record: DeletionRecord): Promise<void> {
    this.#log
      .prepare("INSERT INTO deletions (id, at, by, reason, conversations, conversation_ids) VALUES (?, ?, ?, ?, ?, ?)")
      .run(record.id, record.at, record.by, record.reason, record.conversations, JSON.stringify(record.conversationIds));
  }

  async listDeletions(limit: number): Promise<DeletionRecord[]> {
    const rows = this.#log.prepare("SELECT * FROM deletions ORDER BY at DESC LIMIT ?").all(limit) as { id: string; at: string; by: string; reason: string; conversations: number; conversation_ids: string }[];
    return rows.map((row) => ({ id: row.id, at: row.at, by: row.by, reason: row.reason as DeletionRecord["reason"], conversations: row.conversations, conversationIds: JSON.parse(row.conversation_ids) as string[] }));
  }

  async close(): Promise<void> {
    if (this.#conversations.isOpen) this.#conversations.close();
    if (this.#log.isOpen) this.#log.close();
  }
}

function parseJsonColumns(row: Record<string, unknown>): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) parsed[key] = JSON_COLUMNS.has(key) && typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  return parsed;
}
