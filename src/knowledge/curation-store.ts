/** An FAQ entry proposed from a conversation, waiting for an admin to edit and publish it. */
export type Draft = {
  id: string;
  question: string;
  answer: string;
  lang: "en" | "zh";
  conversationId: string | null;
  createdBy: string;
  status: "draft" | "published" | "dismissed";
  documentId: string | null;
  createdAt: string;
  updatedAt: string;
};

export type GoldenEntry = { id: string; question: string; productId: string | null; createdAt: string };

export type DraftChanges = Partial<Pick<Draft, "question" | "answer" | "lang" | "status" | "documentId">>;

/**
 * What the store's staff curate: FAQ drafts learned from agents' answers, and their own golden
 * questions. getDraft and updateDraft of an unknown id throw NOT_FOUND; replaceGolden replaces the
 * whole list at once.
 */
export interface CurationStore {
  /** Add these drafts at once (one transaction: a catalog's drafts after a publish come by the hundred). */
  addDrafts(drafts: readonly Draft[]): Promise<void>;
  getDraft(id: string): Promise<Draft>;
  /** Newest first, of one status or all. */
  listDrafts(status?: Draft["status"]): Promise<Draft[]>;
  updateDraft(id: string, changes: DraftChanges, now: string): Promise<Draft>;
  /** Dismiss those of these drafts nobody has reviewed yet (status "draft"), in one write; resolves with the ids dismissed. */
  withdrawDrafts(ids: readonly string[], now: string): Promise<string[]>;
  /** Oldest first. */
  listGolden(): Promise<GoldenEntry[]>;
  replaceGolden(entries: GoldenEntry[]): Promise<void>;
  close(): Promise<void>;
}
