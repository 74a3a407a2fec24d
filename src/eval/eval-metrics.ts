import { withVerdict } from "../escalation/confidence.ts";
import { decideOnConfidence } from "../escalation/escalation-policy.ts";
import type { EvalRecord } from "./eval-record.ts";

/**
 * Aggregate metrics over the records of an eval run. Definitions (also printed with every report):
 * - A passage matches a question when its documentId is in the question's `relevant` ids; for a
 *   question with answerable=null (only partial evidence) its `partial` ids are used instead.
 * - Questions with answerable=false, and any without a relevant/partial id, are left out of the
 *   retrieval metrics: there is nothing to find.
 * - recall@k: share of the remaining questions with at least one matching passage in the top k.
 * - MRR@10: mean over the same questions of 1/rank of the first matching passage in the top 10
 *   (0 when none).
 * - The bot answers a question when its confidence (scored from the record's retrieval evidence and
 *   verdict, as the chat service does) reaches the threshold and the message itself does not ask for
 *   a person; otherwise it hands off. Questions with answerable=null are left out of these three:
 * - handoffRecall: share of answerable=false questions handed off (not answered).
 * - answerRate: share of answerable=true questions answered.
 * - citedRelevant: share of the answered answerable=true questions whose answer cites at least one
 *   passage of a `relevant` document (partial ones do not count).
 * - retrieval p50/p99: nearest-rank percentiles of the time spent in Retriever.retrieve per question.
 * A ratio over zero questions is null, not 0, so an empty category never reads as a failure.
 */
export type RetrievalMetrics = {
  /** Questions counted in recall and MRR. */
  questions: number;
  recallAt1: number | null;
  recallAt5: number | null;
  recallAt10: number | null;
  mrrAt10: number | null;
};

export type HandoffMetrics = {
  threshold: number;
  answerableQuestions: number;
  unanswerableQuestions: number;
  handoffRecall: number | null;
  answerRate: number | null;
  citedRelevant: number | null;
};

export type LatencyMetrics = {
  retrievalP50Ms: number | null;
  retrievalP99Ms: number | null;
};

export type EvalMetrics = RetrievalMetrics & HandoffMetrics & LatencyMetrics & { totalQuestions: number; handoffCurve: HandoffMetrics[] };

/** The document ids that count as a match for a question, or none when it is not scored for retrieval. */
export function selectMatchingIds(record: Pick<EvalRecord, "answerable" | "relevant" | "partial">): ReadonlySet<string> {
  if (record.answerable === false) return new Set();
  return new Set(record.answerable === null ? record.partial : record.relevant);
}

/** 1-based rank of the first matching passage within the top `depth`, or null. */
export function findFirstMatchRank(record: Pick<EvalRecord, "answerable" | "relevant" | "partial" | "retrieved">, depth = 10): number | null {
  const matching = selectMatchingIds(record);
  const index = record.retrieved.slice(0, depth).findIndex((hit) => matching.has(hit.documentId));
  return index === -1 ? null : index + 1;
}

export function computeRetrievalMetrics(records: readonly EvalRecord[]): RetrievalMetrics {
  const scored = records.filter((record) => selectMatchingIds(record).size > 0);
  const ranks = scored.map((record) => findFirstMatchRank(record, 10));
  const recallAt = (k: number) => ratio(ranks.filter((rank) => rank !== null && rank <= k).length, scored.length);
  return {
    questions: scored.length,
    recallAt1: recallAt(1),
    recallAt5: recallAt(5),
    recallAt10: recallAt(10),
    mrrAt10: ratio(ranks.reduce<number>((sum, rank) => sum + (rank === null ? 0 : 1 / rank), 0), scored.length),
  };
}

/** Whether the bot would answer this question at this threshold. */
export function isAnswered(record: Pick<EvalRecord, "probability" | "verdict" | "intent">, threshold: number): boolean {
  if (record.intent) return false;
  const { score } = withVerdict(record.probability, {}, record.verdict, threshold);
  return decideOnConfidence({ score, threshold, verdict: record.verdict, previousWeak: false }).action === "answer";
}

export function computeHandoffMetrics(records: readonly EvalRecord[], threshold: number): HandoffMetrics {
  const answerable = records.filter((record) => record.answerable === true);
  const unanswerable = records.filter((record) => record.answerable === false);
  const answered = answerable.filter((record) => isAnswered(record, threshold));
  const citing = answered.filter((record) => {
    const relevant = new Set(record.relevant);
    return record.cited.some((id) => relevant.has(id));
  });
  return {
    threshold,
    answerableQuestions: answerable.length,
    unanswerableQuestions: unanswerable.length,
    handoffRecall: ratio(unanswerable.filter((record) => !isAnswered(record, threshold)).length, unanswerable.length),
    answerRate: ratio(answered.length, answerable.length),
    citedRelevant: ratio(citing.length, answered.length),
  };
}

/** The trade-off over thresholds 0.05, 0.10, … 0.95. */
export function computeHandoffCurve(records: readonly EvalRecord[]): HandoffMetrics[] {
  return Array.from({ length: 19 }, (_, index) => computeHandoffMetrics(records, Math.round((index + 1) * 5) / 100));
}

export function computeLatencyMetrics(records: readonly EvalRecord[]): LatencyMetrics {
  const times = records.map((record) => record.retrievalMs);
  return { retrievalP50Ms: percentile(times, 50), retrievalP99Ms: percentile(times, 99) };
}

export function computeEvalMetrics(records: readonly EvalRecord[], threshold: number): EvalMetrics {
  return {
    totalQuestions: records.length,
    ...computeRetrievalMetrics(records),
    ...computeHandoffMetrics(records, threshold),
    ...computeLatencyMetrics(records),
    handoffCurve: computeHandoffCurve(records),
  };
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function ratio(count: number, total: number): number | null {
  return total === 0 ? null : count / total;
}
