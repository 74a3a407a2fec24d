import type { Postgres } from "../storage/postgres.ts";
import type { RecommendationCount, RecommendationStore } from "./recommendation-store.ts";

/** RecommendationStore in Postgres: one row per answer and product, shared by every server. */
export class PgRecommendationStore implements RecommendationStore {
  readonly #pg: Postgres;

  constructor(pg: Postgres) {
    this.#pg = pg;
  }

  async recordShown(answerId: string, skus: readonly string[], at: Date): Promise<string[]> {
    const inserted = new Set((await this.#pg.query<{ sku: string }>(
      "INSERT INTO recommendations (answer_id, sku, shown_at) SELECT $1, sku, $3 FROM unnest($2::text[]) AS sku ON CONFLICT DO NOTHING RETURNING sku",
      [answerId, [...new Set(skus)], at.toISOString()],
    )).map((row) => row.sku));
    return skus.filter((sku, index) => inserted.has(sku) && skus.indexOf(sku) === index);
  }

  async recordClicked(answerId: string, sku: string, at: Date): Promise<"counted" | "repeat" | "unknown"> {
    const counted = await this.#pg.query("UPDATE recommendations SET clicked_at = $1 WHERE answer_id = $2 AND sku = $3 AND clicked_at IS NULL RETURNING 1", [at.toISOString(), answerId, sku]);
    if (counted.length > 0) return "counted";
    return (await this.#pg.query("SELECT 1 FROM recommendations WHERE answer_id = $1 AND sku = $2", [answerId, sku])).length > 0 ? "repeat" : "unknown";
  }

  async listCounts(): Promise<RecommendationCount[]> {
    return this.#pg.query<RecommendationCount>(
      `SELECT sku, count(*)::int AS shown, count(clicked_at)::int AS clicked FROM recommendations GROUP BY sku ORDER BY shown DESC, sku COLLATE "C"`,
    );
  }

  /** The pool is the caller's. */
  async close(): Promise<void> {}
}
