import { openDatabase, transaction, type Database } from "../storage/database.ts";
import type { RecommendationCount, RecommendationStore } from "./recommendation-store.ts";

const MIGRATIONS = [
  `CREATE TABLE recommendations (
     answer_id TEXT NOT NULL, sku TEXT NOT NULL, shown_at TEXT NOT NULL, clicked_at TEXT,
     PRIMARY KEY (answer_id, sku)
   ) STRICT;
   CREATE INDEX recommendations_sku ON recommendations(sku);`,
];

export class SqliteRecommendationStore implements RecommendationStore {
  readonly #db: Database;

  constructor(path: string, options: { synchronous: "full" | "normal" }) {
    this.#db = openDatabase(path, { migrations: MIGRATIONS, synchronous: options.synchronous });
  }

  async recordShown(answerId: string, skus: readonly string[], at: Date): Promise<string[]> {
    const insert = this.#db.prepare("INSERT INTO recommendations (answer_id, sku, shown_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    return transaction(this.#db, () => skus.filter((sku) => Number(insert.run(answerId, sku, at.toISOString()).changes) > 0));
  }

  async recordClicked(answerId: string, sku: string, at: Date): Promise<"counted" | "repeat" | "unknown"> {
    const result = this.#db.prepare("UPDATE recommendations SET clicked_at = ? WHERE answer_id = ? AND sku = ? AND clicked_at IS NULL").run(at.toISOString(), answerId, sku);
    if (Number(result.changes) > 0) return "counted";
    return this.#db.prepare("SELECT 1 FROM recommendations WHERE answer_id = ? AND sku = ?").get(answerId, sku) ? "repeat" : "unknown";
  }

  async listCounts(): Promise<RecommendationCount[]> {
    return this.#db
      .prepare("SELECT sku, count(*) AS shown, count(clicked_at) AS clicked FROM recommendations GROUP BY sku ORDER BY shown DESC, sku")
      .all()
      .map((row) => ({ sku: String(row.sku), shown: Number(row.shown), clicked: Number(row.clicked) }));
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
