import { LoopSlices } from "../loop-slices.ts";
import { openDatabase, transaction, type Database } from "../storage/database.ts";
import type { CatalogDraftLog, DraftedEntry } from "./catalog-draft-log.ts";

const MIGRATIONS = [
  `CREATE TABLE drafted_entries (
     sku TEXT NOT NULL, lang TEXT NOT NULL, hash TEXT NOT NULL, draft_ids TEXT NOT NULL, at TEXT NOT NULL,
     PRIMARY KEY (sku, lang)
   ) STRICT;`,
];

/** Lines written in one transaction (a few ms on the event loop). */
const RECORD_BATCH = 500;

export class SqliteCatalogDraftLog implements CatalogDraftLog {
  readonly #db: Database;

  constructor(path: string, options: { synchronous: "full" | "normal" }) {
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
  }

  /** Read row by row, yielding to the event loop every few ms (a large catalog has tens of thousands of lines). */
  async list(): Promise<Map<string, DraftedEntry>> {
    const entries = new Map<string, DraftedEntry>();
    const slices = new LoopSlices();
    for (const row of this.#db.prepare("SELECT sku, lang, hash, draft_ids, at FROM drafted_entries").iterate()) {
      const entry: DraftedEntry = { sku: String(row.sku), lang: row.lang === "zh" ? "zh" : "en", hash: String(row.hash), draftIds: JSON.parse(String(row.draft_ids)) as string[], at: String(row.at) };
      entries.set(`${entry.sku}:${entry.lang}`, entry);
      await slices.pause();
    }
    return entries;
  }

  /** In transactions of RECORD_BATCH lines, yielding to the event loop between them. */
  async record(entries: readonly DraftedEntry[]): Promise<void> {
    const upsert = this.#db.prepare(
      "INSERT INTO drafted_entries (sku, lang, hash, draft_ids, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sku, lang) DO UPDATE SET hash = excluded.hash, draft_ids = excluded.draft_ids, at = excluded.at",
    );
    for (let start = 0; start < entries.length; start += RECORD_BATCH) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      transaction(this.#db, () => {
        for (const entry of entries.slice(start, start + RECORD_BATCH)) upsert.run(entry.sku, entry.lang, entry.hash, JSON.stringify(entry.draftIds), entry.at);
      });
    }
  }

  /** The file is this server's own: nobody else drafts from it. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
