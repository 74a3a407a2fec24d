import { detectLanguage } from "../text/segment.ts";
import type { Embedder } from "./embedder.ts";
import { reciprocalRankFusion } from "./fuse.ts";
import type { StoredPassage } from "./passage.ts";
import type { PassageIndex, Retrieval, RetrievalRequest, RetrievedPassage } from "./passage-index.ts";
import type { PassageSource } from "./sqlite-passage-reader.ts";

export type { Retrieval, RetrievalMode, RetrievalRequest, RetrievedPassage } from "./passage-index.ts";

export type RetrieverOptions = {
  /** Candidates taken from each retriever over the whole knowledge base. */
  candidates: number;
  /** Extra candidates taken from the page's product only. */
  pageCandidates: number;
  rrfK: number;
  /** Passages of other products than the page's are divided by (1 + pageBoost); store-wide passages are not. */
  pageBoost: number;
  /** Multiplier added to the score of passages in the shopper's language. */
  languageBoost: number;
};

export const DEFAULT_RETRIEVER_OPTIONS: RetrieverOptions = { candidates: 50, pageCandidates: 20, rrfK: 60, pageBoost: 3, languageBoost: 0.3 };

/**
 * Hybrid retrieval, in the thread that holds the passages (a search worker, or the caller's own
 * thread in tools and tests): BM25 and dense rankings over the whole knowledge base and, on a product page,
 * over that product's passages alone, fused by weighted reciprocal rank (the dense weight is the
 * embedder's); then passages of other products than the page's are demoted and passages in the
 * shopper's language preferred.
 */
export class Retriever implements PassageIndex {
  readonly #source: PassageSource;
  readonly #embedder: Embedder;
  readonly #options: RetrieverOptions;

  constructor(source: PassageSource, embedder: Embedder, options: Partial<RetrieverOptions> = {}) {
    this.#source = source;
    this.#embedder = embedder;
    this.#options = { ...DEFAULT_RETRIEVER_OPTIONS, ...options };
  }

  async retrieve(input: RetrievalRequest): Promise<Retrieval> {
    const mode = input.mode ?? "hybrid";
    const vector = mode === "lexical" ? null : (await this.#embedder.embed([input.query]))[0]!;
    return this.#source.withSnapshot(() => this.#rank(input, vector));
  }

  async close(): Promise<void> {}

  #rank(input: RetrievalRequest, vector: Float32Array | null): Retrieval {
    const { candidates, pageCandidates, rrfK, pageBoost, languageBoost } = this.#options;
    const source = this.#source;
    const mode = input.mode ?? "hybrid";
    const productId = input.productId && source.hasProduct(input.productId) ? input.productId : null;
    const language = input.language ?? detectLanguage(input.query);

    const lexical = mode === "dense" ? [] : source.searchLexical(input.query, candidates);
    const pageLexical = mode === "dense" || !productId ? [] : source.searchLexical(input.query, pageCandidates, productId);
    const dense = vector ? source.searchDense(vector, candidates) : [];
    const pageDense = vector && productId ? source.searchDense(vector, pageCandidates, productId) : [];
    const denseWeight = mode === "dense" ? 1 : (this.#embedder.fusionWeight ?? 1);
    const fused = reciprocalRankFusion(
      [
        { items: lexical.map((hit) => hit.label) },
        { items: pageLexical.map((hit) => hit.label) },
        { items: dense.map((hit) => hit.label), weight: mode === "dense" ? 1 : (this.#embedder.storeWideFusionWeight ?? denseWeight) },
        { items: pageDense.map((hit) => hit.label), weight: denseWeight },
      ],
      rrfK,
    );
    // Ranked on what the ranking needs (product, language) first; whole passages are read only for those returned.
    const facts = source.describePassages([...fused.keys()]);
    const scored: { label: number; score: number; onPage: boolean; storeWide: boolean }[] = [];
    for (const [label, base] of fused) {
      const fact = facts.get(label);
      if (!fact) continue;
      const onPage = productId !== null && fact.productId === productId;
      const otherProduct = productId !== null && fact.productId !== null && !onPage;
      const score = (base / (otherProduct ? 1 + pageBoost : 1)) * (1 + (fact.lang === language ? languageBoost : 0));
      scored.push({ label, score, onPage, storeWide: fact.productId === null });
    }
    scored.sort((a, b) => b.score - a.score || a.label - b.label);
    const top = scored.slice(0, input.topK);
    const onPage = scored.filter((entry) => entry.onPage);
    const storeWide = scored.filter((entry) => entry.storeWide).slice(0, input.topK);
    const passages = source.getPassages([...new Set([...top, ...onPage, ...storeWide].map((entry) => entry.label))]);
    const lexicalScores = new Map([...lexical, ...pageLexical].map((hit) => [hit.label, hit.score]));
    const denseScores = new Map([...dense, ...pageDense].map((hit) => [hit.label, hit.similarity]));
    const lexicalRanks = rankOf(lexical, pageLexical);
    const denseRanks = rankOf(dense, pageDense);
    const retrieved = new Map<number, RetrievedPassage>();
    const toRetrieved = (entries: readonly { label: number; score: number; onPage: boolean }[]): RetrievedPassage[] =>
      entries.flatMap(({ label, score, onPage }) => {
        const passage = passages.get(label);
        if (!passage) return [];
        let found = retrieved.get(label);
        if (!found) {
          found = {
            ...passage,
            score,
            lexicalRank: lexicalRanks.get(label) ?? null,
            lexicalScore: lexicalScores.get(label) ?? null,
            denseRank: denseRanks.get(label) ?? null,
            denseSimilarity: denseScores.get(label) ?? null,
            onPage,
          };
          retrieved.set(label, found);
        }
        return [found];
      });
    return {
      query: input.query,
      language,
      productId,
      requestedProductId: input.productId ?? null,
      knowledgeVersion: source.version,
      passages: toRetrieved(top),
      pagePassages: toRetrieved(onPage),
      storePassages: toRetrieved(storeWide),
      bestLexicalScore: Math.max(lexical[0]?.score ?? -Infinity, pageLexical[0]?.score ?? -Infinity) === -Infinity ? null : Math.max(lexical[0]?.score ?? -Infinity, pageLexical[0]?.score ?? -Infinity),
      bestDenseSimilarity: Math.max(dense[0]?.similarity ?? -Infinity, pageDense[0]?.similarity ?? -Infinity) === -Infinity ? null : Math.max(dense[0]?.similarity ?? -Infinity, pageDense[0]?.similarity ?? -Infinity),
    };
  }
}

/** A passage's best rank (from 1) in the store-wide or the page's own list. */
function rankOf(global: readonly { label: number }[], page: readonly { label: number }[]): Map<number, number> {
  const ranks = new Map<number, number>();
  for (const list of [global, page]) {
    list.forEach((hit, index) => {
      const rank = index + 1;
      if (!ranks.has(hit.label) || ranks.get(hit.label)! > rank) ranks.set(hit.label, rank);
    });
  }
  return ranks;
}
