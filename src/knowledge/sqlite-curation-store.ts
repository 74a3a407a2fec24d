import { AppError } from "../errors.ts";
import { openDatabase, transaction, type Database } from "../storage/database.ts";
import type { CurationStore, Draft, DraftChanges, GoldenEntry } from "./curation-store.ts";

const MIGRATIONS = [
  `CREATE TABLE drafts (
     id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, lang TEXT NOT NULL, conversation_id TEXT,
     created_by TEXT NOT NULL, status TEXT NOT NULL, document_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE golden_questions (id TEXT PRIMARY KEY, question TEXT NOT NULL, product_id TEXT, created_at TEXT NOT NULL) STRICT;`,
];

type DraftRow = { id: string; question: string; answer: string; lang: string; conversation_id: string | null; created_by: string; status: string; document_id: string | null; created_at: string; updated_at: string };

/** FAQ drafts and golden questions in a SQLite file. */
export class SqliteCurationStore implements CurationStore {
  readonly #db: Database;

  constructor(path: string, options: { synchronous: "full" | "normal" }) {
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
  }

  async addDrafts(drafts: readonly Draft[]): Promise<void> {
    const insert = this.#db.prepare("INSERT INTO drafts (id, question, answer, lang, conversation_id, created_by, status, document_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    transaction(this.#db, () => {
      for (const draft of drafts) insert.run(draft.id, draft.question, draft.answer, draft.lang, draft.conversationId, draft.createdBy, draft.status, draft.documentId, draft.createdAt, draft.updatedAt);
    });
  }

  async getDraft(id: string): Promise<Draft> {
    const row = this.#db.prepare("SELECT * FROM drafts WHERE id = ?").get(id) as DraftRow | undefined;
    if (!row) throw new AppError("NOT_FOUND", "This draft does not exist.");
    return toDraft(row);
  }

  async listDrafts(status?: Draft["status"]): Promise<Draft[]> {
    return (this.#db.prepare("SELECT * FROM drafts WHERE ? IS NULL OR status = ? ORDER BY created_at DESC").all(status ?? null, status ?? null) as DraftRow[]).map(toDraft);
  }

  async updateDraft(id: string, changes: DraftChanges, now: string): Promise<Draft> {
    const draft = { ...(await this.getDraft(id)), ...changes, updatedAt: now };
    this.#db
      .prepare("UPDATE drafts SET question = ?, answer = ?, lang = ?, status = ?, document_id = ?, updated_at = ? WHERE id = ?")
      .run(draft.question, draft.answer, draft.lang, draft.status, draft.documentId, draft.updatedAt, id);
    return draft;
  }

  async withdrawDrafts(ids: readonly string[], now: string): Promise<string[]> {
    const dismiss = this.#db.prepare("UPDATE drafts SET status = 'dismissed', updated_at = ? WHERE id = ? AND status = 'draft' RETURNING id");
    return transaction(this.#db, () => ids.flatMap((id) => (dismiss.all(now, id) as { id: string }[]).map((row) => row.id)));
  }

  async listGolden(): Promise<GoldenEntry[]> {
    return (this.#db.prepare("SELECT * FROM golden_questions ORDER BY created_at").all() as { id: string; question: string; product_id: string | null; created_at: string }[]).map((row) => ({
      id: row.id, question: row.question, productId: row.product_id, createdAt: row.created_at,
    }));
  }

  async replaceGolden(entries: GoldenEntry[]): Promise<void> {
    transaction(this.#db, () => {
      this.#db.exec("DELETE FROM golden_questions");
      const insert = this.#db.prepare("INSERT INTO golden_questions (id, question, product_id, created_at) VALUES (?, ?, ?, ?)");
      for (const entry of entries) insert.run(entry.id, entry.question, entry.productId, entry.createdAt);
    });
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id, question: row.question, answer: row.answer, lang: row.lang as Draft["lang"], conversationId: row.conversation_id, createdBy: row.created_by,
    status: row.status as Draft["status"], documentId: row.document_id, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
