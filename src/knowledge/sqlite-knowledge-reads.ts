import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Database } from "../storage/database.ts";
import type { SourceDocument } from "./source-document.ts";

/** The published version of a knowledge database (0 before the first). */
export function readVersion(db: Database): number {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'version'").get() as { value: string } | undefined;
  return Number(row?.value ?? 0);
}

/** A published document as it was given, or null when the knowledge does not hold it. */
export function readDocument(db: Database, id: string): SourceDocument | null {
  if (!documentExists(db, id)) return null;
  const row = db.prepare("SELECT content FROM document_history WHERE document_id = ? AND op = 'upsert' ORDER BY version DESC LIMIT 1").get(id) as { content: string } | undefined;
  return row ? (JSON.parse(row.content) as SourceDocument) : null;
}

export function documentExists(db: Database, id: string): boolean {
  return Boolean(db.prepare("SELECT 1 FROM documents WHERE id = ?").get(id));
}

/**
 * A read-only connection to a knowledge database on the caller's own thread, for the reads a bot
 * turn makes (the version, a product's document): a few indexed rows, well under a millisecond.
 * They answer at once while the writer thread is busy publishing: under WAL a reader sees the last
 * committed version and never waits for the writer, where a call to the writer thread would queue
 * behind the publish for as long as it runs.
 */
export class SqliteKnowledgeReader {
  readonly #db: Database;

  private constructor(db: Database) {
    this.#db = db;
  }

  /** The folder's database must exist with its schema (the writer opens it first). */
  static open(dataDir: string): SqliteKnowledgeReader {
    return new SqliteKnowledgeReader(new DatabaseSync(join(dataDir, "knowledge.db"), { readOnly: true }));
  }

  version(): number {
    return readVersion(this.#db);
  }

  getDocument(id: string): SourceDocument | null {
    return readDocument(this.#db, id);
  }

  hasDocument(id: string): boolean {
    return documentExists(this.#db, id);
  }

  close(): void {
    this.#db.close();
  }
}
