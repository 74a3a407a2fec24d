import type { KnowledgeBase, StoredPassage } from "../knowledge/knowledge-base.ts";
import { detectLanguage } from "../text/segment.ts";
import { reciprocalRankFusion } from "./fuse.ts";

export type RetrievalMode = "hybrid" | "lexical" | "dense";

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
  knowledgeVersion: number;
  passages: RetrievedPassage[];
  /** Best lexical score over the whole knowledge base (not only the returned passages). */
  bestLexicalScore: number | null;
  bestDenseSimilarity: number | null;
};

export type RetrieverOptions = {
  /** Candidates taken from each retriever over the whole knowledge base. */
  candidates: number;
  /** Extra candidates taken from the page's product only. */
  pageCandidates: number;
  rrfK: number;
  /** Multiplier added to the score of passages of the page's product. */
  pageBoost: number;
  /** Multiplier added to the score of passages in the shopper's language. */
  languageBoost: number;
};

export const DEFAULT_RETRIEVER_OPTIONS: RetrieverOptions = { candidates: 50, pageCandidates: 20, rrfK: 60, pageBoost: 0.5, languageBoost: 0.3 };

/**
 * Hybrid retrieval: BM25 and dense candidates, from the whole knowledge base and from the
 * product page the shopper is on, fused by reciprocal rank, then boosted for the page's product
 * and the shopper's language.
 */
export class Retriever {
  readonly #knowledge: KnowledgeBase;
  readonly #options: RetrieverOptions;

  constructor(knowledge: KnowledgeBase, options: Partial<RetrieverOptions> = {}) {
    this.#knowledge = knowledge;
    this.#options = { ...DEFAULT_RETRIEVER_OPTIONS, ...options };
  }

  async retrieve(input: { query: string; productId?: string | null; topK: number; mode?: RetrievalMode; language?: "zh" | "en" }): Promise<Retrieval> {
    const { candidates, pageCandidates, rrfK, pageBoost, languageBoost } = this.#options;
    const mode = input.mode ?? "hybrid";
    const productId = input.productId && this.#knowledge.hasProduct(input.productId) ? input.productId : null;
    const language = input.language ?? detectLanguage(input.query);

    const lexical = mode === "dense" ? [] : mergeByScore(
      this.#knowledge.searchLexical(input.query, candidates),
      productId ? this.#knowledge.searchLexical(input.query, pageCandidates, productId) : [],
      (hit) => hit.score,
    );
    let dense: { label: number; similarity: number }[] = [];
    if (mode !== "lexical") {
      const vector = await this.#knowledge.embedQuery(input.query);
      dense = mergeByScore(
        this.#knowledge.searchDense(vector, candidates),
        productId ? this.#knowledge.searchDense(vector, pageCandidates, productId) : [],
        (hit) => hit.similarity,
      );
    }

    const fused = reciprocalRankFusion([{ items: lexical.map((hit) => hit.label) }, { items: dense.map((hit) => hit.label) }], rrfK);
    const passages = this.#knowledge.getPassages([...fused.keys()]);
    const lexicalRanks = new Map(lexical.map((hit, index) => [hit.label, { rank: index + 1, score: hit.score }]));
    const denseRanks = new Map(dense.map((hit, index) => [hit.label, { rank: index + 1, similarity: hit.similarity }]));

    const ranked: RetrievedPassage[] = [];
    for (const [label, base] of fused) {
      const passage = passages.get(label);
      if (!passage) continue;
      const onPage = productId !== null && passage.productId === productId;
      const score = base * (1 + (onPage ? pageBoost : 0)) * (1 + (passage.lang === language ? languageBoost : 0));
      ranked.push({
        ...passage,
        score,
        lexicalRank: lexicalRanks.get(label)?.rank ?? null,
        lexicalScore: lexicalRanks.get(label)?.score ?? null,
        denseRank: denseRanks.get(label)?.rank ?? null,
        denseSimilarity: denseRanks.get(label)?.similarity ?? null,
        onPage,
      });
    }
    ranked.sort((a, b) => b.score - a.score || a.label - b.label);
    return {
      query: input.query,
      language,
      productId,
      knowledgeVersion: this.#knowledge.version,
      passages: ranked.slice(0, input.topK),
      bestLexicalScore: lexical[0]?.score ?? null,
      bestDenseSimilarity: dense[0]?.similarity ?? null,
    };
  }
}

/** Union of two hit lists on the same scale, best first, each label once. */
function mergeByScore<T extends { label: number }>(first: T[], second: T[], score: (hit: T) => number): T[] {
  const byLabel = new Map<number, T>();
  for (const hit of [...first, ...second]) if (!byLabel.has(hit.label)) byLabel.set(hit.label, hit);
  return [...byLabel.values()].sort((a, b) => score(b) - score(a));
}
