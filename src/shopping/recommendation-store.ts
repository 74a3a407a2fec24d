/** How often a product was recommended (shown on a card) and opened from a card. */
export type RecommendationCount = { sku: string; shown: number; clicked: number };

/** A count with the product's name in the language asked for (null once the product left the catalog). */
export type RecommendationReport = RecommendationCount & { name: string | null };

/**
 * Recommendations shown and clicked, once per answer and product: showing the same answer again
 * (a reload) or clicking a card twice counts once.
 */
export interface RecommendationStore {
  /** Record the products one answer showed; returns the SKUs not recorded for it before. */
  recordShown(answerId: string, skus: readonly string[], at: Date): Promise<string[]>;
  /** Record a click on one answer's card: "counted", "repeat" (counted before), or "unknown" (that answer never showed it). */
  recordClicked(answerId: string, sku: string, at: Date): Promise<"counted" | "repeat" | "unknown">;
  /** Counts per product, most shown first. */
  listCounts(): Promise<RecommendationCount[]>;
  close(): Promise<void>;
}

/** Where counts also go as they happen, e.g. Prometheus counters; the composition root wires it. */
export interface RecommendationRecorder {
  shown(sku: string): void;
  clicked(sku: string): void;
}

export const NO_RECORDER: RecommendationRecorder = { shown: () => undefined, clicked: () => undefined };
