import { composeAnswer } from "../answering/compose-answer.ts";
import { performance } from "node:perf_hooks";
import type { Answerer } from "../answering/answerer.ts";
import type { ProductCatalog } from "../catalog/product-catalog.ts";
import { assess } from "../escalation/assess.ts";
import { decideOnMessage } from "../escalation/escalation-policy.ts";
import type { PassageIndex, RetrievalMode } from "../retrieval/passage-index.ts";
import { holdsFacts } from "./store-metrics.ts";
import type { EvalQuestion, EvalRecord } from "./eval-record.ts";

export type EvalMode = "page" | "site";

/** Retrieval depth of every question: enough for recall@10 and MRR@10. */
export const EVAL_DEPTH = 10;

const NO_SIGNAL = new AbortController().signal;

/**
 * Ask every question the way the chat service does (retrieve, then answer from the top
 * `answerTopK` passages) and record what happened. Metrics are computed from the records
 * elsewhere, so this loop stays the only place that touches retrieval and answering.
 */
export async function runEval(options: {
  questions: readonly EvalQuestion[];
  retriever: PassageIndex;
  catalog: ProductCatalog;
  answerer: Answerer;
  mode: EvalMode;
  retrieverMode: RetrievalMode;
  answerTopK: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<EvalRecord[]> {
  const { questions, retriever, catalog, answerer, mode, retrieverMode, answerTopK, onProgress } = options;
  const records: EvalRecord[] = [];
  const every = Math.max(1, Math.ceil(questions.length / 10));
  // One untimed retrieval first: the first call pays for JIT warm-up and lazy setup (segmenters,
  // prepared statements), which would otherwise be the p99 of any small set.
  if (questions[0]) await retriever.retrieve({ query: questions[0].question, productId: null, topK: EVAL_DEPTH, mode: retrieverMode });
  for (const [index, question] of questions.entries()) {
    const productId = mode === "page" ? question.productId : null;
    // The language is left to the retriever's own detection, as in the chat service.
    const started = performance.now();
    const retrieval = await retriever.retrieve({ query: question.question, productId, topK: EVAL_DEPTH, mode: retrieverMode });
    const retrievalMs = performance.now() - started;
    // Ranking does not depend on topK, so the first answerTopK of the top 10 are what production hands the answerer.
    const answered = { ...retrieval, passages: retrieval.passages.slice(0, answerTopK) };
    const product = answered.productId ? await catalog.getProduct(answered.productId, answered.language) : null;
    // The threshold only labels the report here: metrics decide from the probability at every threshold.
    const assessment = assess({ question: question.question, language: answered.language, retrieval: answered, product, threshold: 0.5 });
    const draft = await answerer.answer({
      question: question.question,
      language: retrieval.language,
      retrieval: answered,
      history: [],
      pageProduct: productId,
      plan: assessment.plan,
      signal: NO_SIGNAL,
      // Nobody reads the stream here; "silent" still yields the full text and citations.
      onVerdict: () => "silent",
      onDelta: async () => undefined,
      onRestart: async () => undefined,
    });
    records.push({
      id: question.id,
      question: question.question,
      lang: question.lang,
      detectedLanguage: retrieval.language,
      productId,
      answerable: question.answerable,
      relevant: question.relevant,
      partial: question.partial,
      retrieved: retrieval.passages.map((passage) => ({
        documentId: passage.documentId,
        key: passage.key,
        score: passage.score,
        lexicalRank: passage.lexicalRank,
        denseRank: passage.denseRank,
        onPage: passage.onPage,
      })),
      bestLexicalScore: retrieval.bestLexicalScore,
      bestDenseSimilarity: retrieval.bestDenseSimilarity,
      cited: draft.cited.map(({ passage }) => passage.documentId),
      verdict: draft.verdict,
      evidence: assessment.evidence,
      features: assessment.features,
      probability: assessment.confidence.score,
      source: assessment.plan.source,
      facts: question.facts ?? null,
      holdsFacts: question.facts ? holdsFacts(draft.text, question.facts) : null,
      intent: decideOnMessage(question.question),
      answerText: draft.text,
      partAnswer: assessment.partial ? composeAnswer(assessment.partial.plan, retrieval.language).text : null,
      retrievalMs,
    });
    if (onProgress && ((index + 1) % every === 0 || index + 1 === questions.length)) onProgress(index + 1, questions.length);
  }
  return records;
}
