import { AppError } from "../errors.ts";
import { openDatabase, type Database } from "../storage/database.ts";
import { BACKGROUND_NICE, SqliteWriteThread } from "../storage/sqlite-write-thread.ts";
import type { CurationStore, Draft, DraftChanges, GoldenEntry } from "./curation-store.ts";
import { CURATION_WRITES, MIGRATIONS, toDraft, type DraftRow } from "./curation-writes.ts";

/**
 * FAQ drafts and golden questions in a SQLite file: reads on this thread's connection, writes in a
 * writer thread of their own (a catalog's drafts after a publish come by the hundred, and each
 * commit's fsync would otherwise hold the event loop). A write resolves once committed.
 */
export class SqliteCurationStore implements CurationStore {
  readonly #db: Database;
  readonly #writer: SqliteWriteThread<typeof CURATION_WRITES>;

  /** writerScript: the writer thread's module (tests give one that can be made to die). */
  constructor(path: string, options: { synchronous: "full" | "normal"; onWriterCrash?: (error: unknown) => void; writerScript?: URL }) {
    // The schema first, on this thread; the writer opens the migrated file.
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
    this.#writer = new SqliteWriteThread(options.writerScript ?? new URL("./curation-writer-worker.ts", import.meta.url), { path, synchronous: options.synchronous, niceIncrement: BACKGROUND_NICE }, {
      name: "curation store",
      ...(options.onWriterCrash ? { onCrash: options.onWriterCrash } : {}),
    });
  }

  addDrafts(drafts: readonly Draft[]): Promise<void> {
    return drafts.length === 0 ? Promise.resolve() : this.#writer.write("addDrafts", drafts);
  }

  async getDraft(id: string): Promise<Draft> {
    const row = this.#db.prepare("SELECT * FROM drafts WHERE id = ?").get(id) as DraftRow | undefined;
    if (!row) throw new AppError("NOT_FOUND", "This draft does not exist.");
    return toDraft(row);
  }

  async listDrafts(status?: Draft["status"]): Promise<Draft[]> {
    return (this.#db.prepare("SELECT * FROM drafts WHERE ? IS NULL OR status = ? ORDER BY created_at DESC").all(status ?? null, status ?? null) as DraftRow[]).map(toDraft);
  }

  updateDraft(id: string, changes: DraftChanges, now: string): Promise<Draft> {
    return this.#writer.write("updateDraft", id, changes, now);
  }

  withdrawDrafts(ids: readonly string[], now: string): Promise<string[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.#writer.write("withdrawDrafts", ids, now);
  }

  async listGolden(): Promise<GoldenEntry[]> {
    return (this.#db.prepare("SELECT * FROM golden_questions ORDER BY created_at").all() as { id: string; question: string; product_id: string | null; created_at: string }[]).map((row) => ({
      id: row.id, question: row.question, productId: row.product_id, createdAt: row.created_at,
    }));
  }

  replaceGolden(entries: GoldenEntry[]): Promise<void> {
    return this.#writer.write("replaceGolden", entries);
  }

  async close(): Promise<void> {
    await this.#writer.close();
    if (this.#db.isOpen) this.#db.close();
  }
}
