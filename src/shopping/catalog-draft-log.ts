/** A catalog line (one product in one language) as last drafted from: its content hash and the drafts made. */
export type DraftedEntry = { sku: string; lang: "zh" | "en"; hash: string; draftIds: string[]; at: string };

/** A catalog line's key in the log. */
export type DraftedLine = { sku: string; lang: "zh" | "en" };

/**
 * What catalog lines FAQ entries were drafted from, so that only new and changed products get
 * drafts (and a changed product's earlier drafts, if still unreviewed, can be withdrawn).
 */
export interface CatalogDraftLog {
  /** Whether no line was ever recorded: the first look at a store's catalog. */
  isEmpty(): Promise<boolean>;
  /** The records of these lines, by "sku:lang"; a line never recorded is absent. */
  find(lines: readonly DraftedLine[]): Promise<Map<string, DraftedEntry>>;
  /** Add or replace these lines' records. */
  record(entries: readonly DraftedEntry[]): Promise<void>;
  /** Run work while no other server drafts from the same log (so two servers never draft the same line). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A line's key in maps of the log's records. */
export function lineKey(line: DraftedLine): string {
  return `${line.sku}:${line.lang}`;
}
