/** A catalog line (one product in one language) as last drafted from: its content hash and the drafts made. */
export type DraftedEntry = { sku: string; lang: "zh" | "en"; hash: string; draftIds: string[]; at: string };

/**
 * What catalog lines FAQ entries were drafted from, so that only new and changed products get
 * drafts (and a changed product's earlier drafts, if still unreviewed, can be withdrawn).
 */
export interface CatalogDraftLog {
  /** Every line recorded, by "sku:lang". */
  list(): Promise<Map<string, DraftedEntry>>;
  /** Add or replace these lines' records. */
  record(entries: readonly DraftedEntry[]): Promise<void>;
  /** Run work while no other server drafts from the same log (so two servers never draft the same line). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
