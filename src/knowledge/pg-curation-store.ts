import { AppError } from "../errors.ts";
import type { Postgres } from "../storage/postgres.ts";
import type { CurationStore, Draft, DraftChanges, GoldenEntry } from "./curation-store.ts";

type DraftRow = {
  id: string; question: string; answer: string; lang: string; conversation_id: string | null; created_by: string;
  status: string; document_id: string | null; created_at: string; updated_at: string;
};

/** FAQ drafts and golden questions in Postgres (tables of migration 1). */
export class PgCurationStore implements CurationStore {
  readonly #db: Postgres;

  constructor(database: Postgres) {
    this.#db = database;
  }

  async addDrafts(drafts: readonly Draft[]): Promise<void> {
    await this.#db.transaction(async (client) => {
      for (const draft of drafts) {
        await client.query(
          "INSERT INTO drafts (id, question, answer, lang, conversation_id, created_by, status, document_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          [draft.id, draft.question, draft.answer, draft.lang, draft.conversationId, draft.createdBy, draft.status, draft.documentId, draft.createdAt, draft.updatedAt],
        );
      }
    });
  }

  async getDraft(id: string): Promise<Draft> {
    const [row] = await this.#db.query<DraftRow>("SELECT * FROM drafts WHERE id = $1", [id]);
    if (!row) throw new AppError("NOT_FOUND", "This draft does not exist.");
    return toDraft(row);
  }

  async listDrafts(status?: Draft["status"]): Promise<Draft[]> {
    return (await this.#db.query<DraftRow>("SELECT * FROM drafts WHERE $1::text IS NULL OR status = $1 ORDER BY created_at DESC, id", [status ?? null])).map(toDraft);
  }

  async updateDraft(id: string, changes: DraftChanges, now: string): Promise<Draft> {
    const draft = { ...(await this.getDraft(id)), ...changes, updatedAt: now };
    await this.#db.query("UPDATE drafts SET question = $1, answer = $2, lang = $3, status = $4, document_id = $5, updated_at = $6 WHERE id = $7", [
      draft.question, draft.answer, draft.lang, draft.status, draft.documentId, draft.updatedAt, id,
    ]);
    return draft;
  }

  async withdrawDrafts(ids: readonly string[], now: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db.query<{ id: string }>("UPDATE drafts SET status = 'dismissed', updated_at = $2 WHERE id = ANY($1::text[]) AND status = 'draft' RETURNING id", [ids, now]);
    return rows.map((row) => row.id);
  }

  async listGolden(): Promise<GoldenEntry[]> {
    const rows = await this.#db.query<{ id: string; question: string; product_id: string | null; created_at: string }>("SELECT * FROM golden_questions ORDER BY created_at, position");
    return rows.map((row) => ({ id: row.id, question: row.question, productId: row.product_id, createdAt: row.created_at }));
  }

  async replaceGolden(entries: GoldenEntry[]): Promise<void> {
    await this.#db.transaction(async (client) => {
      await client.query("DELETE FROM golden_questions");
      if (entries.length === 0) return;
      await client.query(
        `INSERT INTO golden_questions (id, question, product_id, created_at, position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY`,
        [entries.map((entry) => entry.id), entries.map((entry) => entry.question), entries.map((entry) => entry.productId), entries.map((entry) => entry.createdAt)],
      );
    });
  }

  /** The pool is shared with the other stores; the composition root closes it. */
  async close(): Promise<void> {}
}

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id, question: row.question, answer: row.answer, lang: row.lang as Draft["lang"], conversationId: row.conversation_id, createdBy: row.created_by,
    status: row.status as Draft["status"], documentId: row.document_id, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
