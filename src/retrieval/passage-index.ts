import type { StoredPassage } from "./passage.ts";

export type RetrievalMode = "hybrid" | "lexical" | "dense";

export type RetrievalRequest = { query: string; productId?: string | null; topK: number; mode?: RetrievalMode; language?: "zh" | "en" };

export type RetrievedPassage = StoredPassage & {
  /** Fused score; only comparable within one retrieval. */
  score: number;
  lexicalRank: number | null;
  lexicalScore: number | null;
  denseRank: number | null;
  denseSimilarity: number | null;
  onPage: boolean;
};

export type Retrieval = {
  query: string;
  language: "zh" | "en";
  productId: string | null;
  /**
   * The page product the shopper is on, as the widget sent it, known to the index or not: a page
   * product requested (not null) with no productId is a page the catalog does not know yet.
   */
  requestedProductId: string | null;
  knowledgeVersion: number;
  passages: RetrievedPassage[];
  /** Every candidate passage of the page's product, best first (the page's own facts, beyond topK). */
  pagePassages: RetrievedPassage[];
  /** The best store-wide passages (FAQ and policy pages: no product), beyond topK. */
  storePassages: RetrievedPassage[];
  /** Best lexical score over the whole knowledge base (not only the returned passages). */
  bestLexicalScore: number | null;
  bestDenseSimilarity: number | null;
};

/**
 * Search over the published passages, asynchronous so that it can be served off the event loop
 * (WorkerPassageIndex) or in the caller's thread (Retriever). Writing documents and versions is
 * the knowledge store's business, not this one's.
 */
export interface PassageIndex {
  retrieve(request: RetrievalRequest): Promise<Retrieval>;
  close(): Promise<void>;
}
