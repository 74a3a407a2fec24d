import type { RetrieverOptions } from "../retrieval/retriever.ts";
import type { EvalMetrics } from "./eval-metrics.ts";

/** Everything one eval run reports: what was run, on what, and its metrics. */
export type EvalSummary = EvalMetrics & {
  set: string;
  mode: "page" | "site";
  retriever: "hybrid" | "lexical" | "dense";
  embedder: string;
  passages: number;
  /** docs.jsonl lines that could not be read and were left out. */
  skippedDocuments: number;
  knowledgeVersion: number;
  answerTopK: number;
  retrieverOptions: RetrieverOptions;
};

export const METRIC_DEFINITIONS = [
  "match: a passage whose documentId is in the question's `relevant` ids (`partial` ids when answerable=null)",
  "scored questions: those with answerable!=false and at least one relevant/partial id",
  "recall@k: share of scored questions with a matching passage in the top k",
  "MRR@10: mean of 1/rank of the first matching passage in the top 10 (0 if none)",
  "answered: confidence (from retrieval evidence, as the chat service scores it) reaches the threshold and the message does not ask for a person",
  "handoffRecall: share of answerable=false questions handed off; answerRate: share of answerable=true questions answered",
  "citedRelevant: share of the answered answerable=true questions whose answer cites a `relevant` document",
  "retrieval p50/p99: nearest-rank percentiles of the time spent in Retriever.retrieve per question",
];

/** A human-readable report, definitions included so a figure is never read without its meaning. */
export function formatEvalReport(summary: EvalSummary): string {
  const options = Object.entries(summary.retrieverOptions).map(([key, value]) => `${key}=${value}`).join(" ");
  return [
    `eval ${summary.set}: mode ${summary.mode}, retriever ${summary.retriever}, embedder ${summary.embedder}`,
    `  knowledge version ${summary.knowledgeVersion}, ${summary.passages} passages (${summary.skippedDocuments} bad docs lines skipped); retriever options ${options}; answerer top ${summary.answerTopK}`,
    `  questions: ${summary.totalQuestions} asked, ${summary.questions} scored for retrieval, ${summary.answerableQuestions} answerable, ${summary.unanswerableQuestions} unanswerable`,
    "",
    `  recall@1       ${formatRatio(summary.recallAt1)}`,
    `  recall@5       ${formatRatio(summary.recallAt5)}`,
    `  recall@10      ${formatRatio(summary.recallAt10)}`,
    `  MRR@10         ${formatRatio(summary.mrrAt10)}`,
    `  hand-off at threshold ${summary.threshold}: handoffRecall ${formatRatio(summary.handoffRecall)}  answerRate ${formatRatio(summary.answerRate)}  citedRelevant ${formatRatio(summary.citedRelevant)}`,
    `  retrieval p50  ${formatMs(summary.retrievalP50Ms)}`,
    `  retrieval p99  ${formatMs(summary.retrievalP99Ms)}`,
    "",
    "  threshold  handoffRecall  answerRate  citedRelevant",
    ...summary.handoffCurve.map((point) => `  ${point.threshold.toFixed(2).padStart(9)}  ${formatRatio(point.handoffRecall).padStart(13)}  ${formatRatio(point.answerRate).padStart(10)}  ${formatRatio(point.citedRelevant).padStart(13)}`),
    "",
    "definitions:",
    ...METRIC_DEFINITIONS.map((line) => `  - ${line}`),
  ].join("\n");
}

/** One JSON object on one line, figures rounded to what the measurement supports. */
export function formatEvalJson(summary: EvalSummary): string {
  return JSON.stringify(summary, (key, value: unknown) => {
    if (typeof value !== "number" || Number.isInteger(value)) return value;
    return key.endsWith("Ms") ? round(value, 3) : round(value, 4);
  });
}

function formatRatio(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(3);
}

function formatMs(value: number | null): string {
  return value === null ? "n/a" : `${value.toFixed(2)} ms`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
