import type { Verdict } from "../answering/prompts.ts";
import type { ConfidenceReport } from "../protocol/conversation-events.ts";
import type { Retrieval, RetrievedPassage } from "../retrieval/retriever.ts";
import { contentWords, lexicalTerms, segmentWords } from "../text/segment.ts";

/** Evidence from retrieval alone, each part in [0,1]. */
export type RetrievalEvidence = {
  /** Share of the question's content terms found in the best passages. */
  coverage: number;
  /** The best dense similarity, rescaled from the embedder's typical range to [0,1]. */
  similarity: number;
  /** Whether lexical and dense search agree on the best passage. */
  agreement: number;
};

const TOP_PASSAGES = 3;
const SIMILARITY_FLOOR = 0.1;
const SIMILARITY_SPAN = 0.5;
/** How much a model's own verdict counts against retrieval evidence when it gives one. */
const GROUNDING_WEIGHT = 0.65;
const GROUNDING: Record<Verdict, number> = { ANSWERED: 1, PARTIAL: 0.5, NOT_COVERED: 0, WANTS_HUMAN: 0 };

/**
 * Evidence from the best passages of those the answer is drawn from: the whole ranking, or for an
 * answer from the store's policy entries on a product page, those entries (the page's own passages
 * rank first there and say nothing of the policy).
 */
export function measureRetrieval(question: string, retrieval: Retrieval, from: readonly RetrievedPassage[] = retrieval.passages): RetrievalEvidence {
  const top = from.slice(0, TOP_PASSAGES);
  if (top.length === 0) return { coverage: 0, similarity: 0, agreement: 0 };
  const words = contentWords(question);
  const terms = new Set(lexicalTerms(words.length > 0 ? words : segmentWords(question)));
  const found = new Set(top.flatMap((passage) => lexicalTerms(segmentWords(`${passage.title} ${passage.text}`))));
  let covered = 0;
  for (const term of terms) if (found.has(term)) covered += 1;
  const best = top[0]!;
  const similarity = Math.max(0, ...top.map((passage) => passage.denseSimilarity ?? 0));
  const agreement = best.lexicalRank !== null && best.denseRank !== null
    ? (best.lexicalRank <= 3 && best.denseRank <= 3 ? 1 : 0.5)
    : 0;
  return {
    coverage: terms.size > 0 ? covered / terms.size : 0,
    similarity: clamp((similarity - SIMILARITY_FLOOR) / SIMILARITY_SPAN),
    agreement,
  };
}

/**
 * The score that decides: the gate's probability, and when a model answered, its own verdict
 * blended in (NOT_COVERED puts it under any threshold). The parts are kept with the answer.
 */
export function withVerdict(probability: number, parts: Record<string, number>, verdict: Verdict | null, threshold: number): ConfidenceReport {
  const kept: Record<string, number> = { ...parts };
  let score = probability;
  if (verdict !== null) {
    kept.grounding = GROUNDING[verdict];
    score = (1 - GROUNDING_WEIGHT) * probability + GROUNDING_WEIGHT * GROUNDING[verdict];
  }
  for (const key of Object.keys(kept)) kept[key] = round(kept[key]!);
  return { score: round(score), threshold, parts: kept };
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
