import { AppError } from "../errors.ts";
import type { Database } from "../storage/database.ts";
import type { Draft, DraftChanges, GoldenEntry } from "./curation-store.ts";

export const MIGRATIONS = [
  `CREATE TABLE drafts (
     id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, lang TEXT NOT NULL, conversation_id TEXT,
     created_by TEXT NOT NULL, status TEXT NOT NULL, document_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE golden_questions (id TEXT PRIMARY KEY, question TEXT NOT NULL, product_id TEXT, created_at TEXT NOT NULL) STRICT;`,
];

export type DraftRow = { id: string; question: string; answer: string; lang: string; conversation_id: string | null; created_by: string; status: string; document_id: string | null; created_at: string; updated_at: string };

/** The curation database's writes, run by its writer thread (curation-writer-worker.ts), each in one transaction. */
export const CURATION_WRITES = {
  addDrafts(db: Database, drafts: readonly Draft[]): void {
    const insert = db.prepare("INSERT INTO drafts (id, question, answer, lang, conversation_id, created_by, status, document_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const draft of drafts) insert.run(draft.id, draft.question, draft.answer, draft.lang, draft.conversationId, draft.createdBy, draft.status, draft.documentId, draft.createdAt, draft.updatedAt);
  },

  updateDraft(db: Database, id: string, changes: DraftChanges, now: string): Draft {
    const row = db.prepare("SELECT * FROM drafts WHERE id = ?").get(id) as DraftRow | undefined;
    if (!row) throw new AppError("NOT_FOUND", "This draft does not exist.");
    const draft = { ...toDraft(row), ...changes, updatedAt: now };
    db.prepare("UPDATE drafts SET question = ?, answer = ?, lang = ?, status = ?, document_id = ?, updated_at = ? WHERE id = ?")
      .run(draft.question, draft.answer, draft.lang, draft.status, draft.documentId, draft.updatedAt, id);
    return draft;
  },

  withdrawDrafts(db: Database, ids: readonly string[], now: string): string[] {
    const dismiss = db.prepare("UPDATE drafts SET status = 'dismissed', updated_at = ? WHERE id = ? AND status = 'draft' RETURNING id");
    return ids.flatMap((id) => (dismiss.all(now, id) as { id: string }[]).map((row) => row.id));
  },

  replaceGolden(db: Database, entries: readonly GoldenEntry[]): void {
    db.exec("DELETE FROM golden_questions");
    const insert = db.prepare("INSERT INTO golden_questions (id, question, product_id, created_at) VALUES (?, ?, ?, ?)");
    for (const entry of entries) insert.run(entry.id, entry.question, entry.productId, entry.createdAt);
  },
};

export function toDraft(row: DraftRow): Draft {
  return {
    id: row.id, question: row.question, answer: row.answer, lang: row.lang as Draft["lang"], conversationId: row.conversation_id, createdBy: row.created_by,
    status: row.status as Draft["status"], documentId: row.document_id, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
