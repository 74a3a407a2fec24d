import { ExtractiveAnswerer } from "../answering/extractive-answerer.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { createEmbedder } from "../retrieval/create-embedder.ts";
import { DEFAULT_RETRIEVER_OPTIONS, Retriever, type RetrievalMode, type RetrieverOptions } from "../retrieval/retriever.ts";
import { DocumentProductCatalog } from "../catalog/product-catalog.ts";
import { computeCalibration } from "./calibration.ts";
import { computeEvalMetrics } from "./eval-metrics.ts";
import { computeStoreMetrics } from "./store-metrics.ts";
import type { EvalRecord } from "./eval-record.ts";
import type { EvalSummary } from "./format-report.ts";
import { loadEvalSet } from "./load-eval-set.ts";
import { openEvalKnowledge } from "./open-eval-knowledge.ts";
import { runEval, type EvalMode } from "./run-eval.ts";

/**
 * Run one case set end to end with real components: ingestion (cached), retrieval, the extractive
 * answerer, and the metrics over the per-question records.
 */
export async function evaluateSet(options: {
  setDir: string;
  config: Config;
  mode: EvalMode;
  retrieverMode: RetrievalMode;
  retrieverOptions?: Partial<RetrieverOptions>;
  /** Ask only the first `limit` questions. */
  limit?: number;
  logger: Logger;
  onProgress: (message: string) => void;
}): Promise<{ summary: EvalSummary; records: EvalRecord[] }> {
  const { config, onProgress } = options;
  const set = await loadEvalSet(options.setDir, config.knowledgeDir);
  for (const problem of set.skipped) onProgress(`skipped ${problem}`);
  for (const warning of set.warnings) onProgress(`warning: ${warning}`);
  const embedder = await createEmbedder(config.embedding);
  const knowledge = await openEvalKnowledge({ set, embedder, ef: config.retrieval.ef, logger: options.logger, onProgress });
  try {
    const retrieverOptions = { ...DEFAULT_RETRIEVER_OPTIONS, ...options.retrieverOptions };
    const questions = options.limit === undefined ? set.questions : set.questions.slice(0, options.limit);
    onProgress(`asking ${questions.length} questions (${options.mode} mode, ${options.retrieverMode} retrieval)`);
    const records = await runEval({
      questions,
      retriever: new Retriever(knowledge, retrieverOptions),
      catalog: new DocumentProductCatalog((id) => knowledge.getDocument(id)),
      answerer: new ExtractiveAnswerer(),
      mode: options.mode,
      retrieverMode: options.retrieverMode,
      answerTopK: config.retrieval.topK,
      onProgress: (done, total) => onProgress(`  ${done}/${total} questions`),
    });
    const summary: EvalSummary = {
      set: set.name,
      mode: options.mode,
      retriever: options.retrieverMode,
      embedder: embedder.id,
      passages: knowledge.passageCount,
      skippedDocuments: set.skipped.length,
      knowledgeVersion: knowledge.version,
      answerTopK: config.retrieval.topK,
      retrieverOptions,
      ...computeEvalMetrics(records, config.handoff.threshold),
      calibration: computeCalibration(records),
      store: computeStoreMetrics(records, config.handoff.threshold),
    };
    return { summary, records };
  } finally {
    await knowledge.close();
  }
}
