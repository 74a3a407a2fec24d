import { openDatabase, transaction, type Database } from "../storage/database.ts";
import type { CatalogDraftLog, DraftedEntry } from "./catalog-draft-log.ts";

const MIGRATIONS = [
  `CREATE TABLE drafted_entries (
     sku TEXT NOT NULL, lang TEXT NOT NULL, hash TEXT NOT NULL, draft_ids TEXT NOT NULL, at TEXT NOT NULL,
     PRIMARY KEY (sku, lang)
   ) STRICT;`,
];

export class SqliteCatalogDraftLog implements CatalogDraftLog {
  readonly #db: Database;

  constructor(path: string, options: { synchronous: "full" | "normal" }) {
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
  }

  async list(): Promise<Map<string, DraftedEntry>> {
    const rows = this.#db.prepare("SELECT sku, lang, hash, draft_ids, at FROM drafted_entries").all();
    return new Map(
      rows.map((row) => {
        const entry: DraftedEntry = { sku: String(row.sku), lang: row.lang === "zh" ? "zh" : "en", hash: String(row.hash), draftIds: JSON.parse(String(row.draft_ids)) as string[], at: String(row.at) };
        return [`${entry.sku}:${entry.lang}`, entry];
      }),
    );
  }

  async record(entries: readonly DraftedEntry[]): Promise<void> {
    const upsert = this.#db.prepare(
      "INSERT INTO drafted_entries (sku, lang, hash, draft_ids, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sku, lang) DO UPDATE SET hash = excluded.hash, draft_ids = excluded.draft_ids, at = excluded.at",
    );
    transaction(this.#db, () => {
      for (const entry of entries) upsert.run(entry.sku, entry.lang, entry.hash, JSON.stringify(entry.draftIds), entry.at);
    });
  }

  /** The file is this server's own: nobody else drafts from it. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
