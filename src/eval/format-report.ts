import type { RetrieverOptions } from "../retrieval/retriever.ts";
import type { Calibration } from "./calibration.ts";
import type { EvalMetrics } from "./eval-metrics.ts";
import type { StoreMetrics } from "./store-metrics.ts";

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
  calibration: Calibration;
  /** Product-page sets only: right / wrong / handed off. */
  store: StoreMetrics | null;
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
  "gate: the probability that answering is right (logistic regression, src/escalation/gate-weights.json); answered = probability reaches the threshold",
  "right (calibration): product-page sets: the answer holds every required fact; passage sets: answerable and the answer cites a relevant passage",
  "ECE: question-weighted mean |mean probability - share right| over ten probability bins; Brier: mean squared error of the probability",
  "product-page sets: right = answered holding the facts, wrong = answered without them, handed off = not answered (shares of answerable questions); unanswerable handed off is the share of those the bot did not answer",
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
    ...formatStore(summary.store),
    "",
    `  calibration over ${summary.calibration.questions} questions: ECE ${formatRatio(summary.calibration.ece)}  Brier ${formatRatio(summary.calibration.brier)}`,
    "  probability  questions  mean p  share right",
    ...summary.calibration.bins.map((bin) => `  ${bin.from.toFixed(1)}–${bin.to.toFixed(1)}  ${String(bin.questions).padStart(9)}  ${formatRatio(bin.meanProbability).padStart(6)}  ${formatRatio(bin.rightShare).padStart(11)}`),
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

function formatStore(store: StoreMetrics | null): string[] {
  if (!store) return [];
  return [
    "",
    `  product-page questions at threshold ${store.threshold}: ${store.answerable} answerable, ${store.unanswerable} the store cannot answer`,
    `  right ${formatRatio(store.right)}  wrong ${formatRatio(store.wrong)}  handed off ${formatRatio(store.handedOff)}  unanswerable handed off ${formatRatio(store.unanswerableHandedOff)}  mean answer ${store.meanAnswerChars ?? "n/a"} characters`,
    `  hand-offs answering part of the message first ${formatRatio(store.partAnswered)}  (answerable: part answer holds a required fact ${formatRatio(store.partAnswerHoldsFact)})`,
    ...(store.wrongQuestions.length > 0 ? ["  wrong answers:"] : []),
    ...store.wrongQuestions.map((wrong) => `    ${wrong.id} [${wrong.productId}] ${wrong.question}\n      expected: ${wrong.expected}\n      answer:   ${wrong.answer.replace(/\s+/g, " ").slice(0, 200)}`),
  ];
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
