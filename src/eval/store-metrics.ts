import { isAnswered } from "./eval-metrics.ts";
import type { EvalRecord } from "./eval-record.ts";

/**
 * Product-page sets (questions with `facts`): each question ends right, wrong or handed off.
 * - right: answerable, answered, and the answer holds every required fact;
 * - wrong: answered but missing a required fact, or answered when the store cannot answer it;
 * - handed off: not answered. For unanswerable questions that is the right outcome (handoffRecall).
 */
export type StoreMetrics = {
  threshold: number;
  answerable: number;
  unanswerable: number;
  right: number | null;
  wrong: number | null;
  handedOff: number | null;
  unanswerableHandedOff: number | null;
  wrongQuestions: { id: string; question: string; productId: string | null; answer: string; expected: string }[];
};

/** Facts are compared after width, case, spacing and thousands separators are normalised. */
export function holdsFacts(answer: string, facts: readonly (readonly string[])[]): boolean {
  const text = normalizeFact(answer);
  return facts.every((group) => group.some((alternative) => text.includes(normalizeFact(alternative))));
}

function normalizeFact(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/(\d),(\d{3})/g, "$1$2").replace(/[\s\-–]/g, "");
}

export function computeStoreMetrics(records: readonly EvalRecord[], threshold: number): StoreMetrics | null {
  const scored = records.filter((record) => record.facts !== null && record.answerable !== null);
  if (scored.length === 0) return null;
  const answerable = scored.filter((record) => record.answerable === true);
  const unanswerable = scored.filter((record) => record.answerable === false);
  const answered = (record: EvalRecord) => isAnswered(record, threshold);
  const right = answerable.filter((record) => answered(record) && record.holdsFacts === true);
  const wrong = scored.filter((record) => answered(record) && !(record.answerable === true && record.holdsFacts === true));
  const share = (count: number, total: number) => (total === 0 ? null : count / total);
  return {
    threshold,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    right: share(right.length, answerable.length),
    wrong: share(wrong.filter((record) => record.answerable === true).length, answerable.length),
    handedOff: share(answerable.filter((record) => !answered(record)).length, answerable.length),
    unanswerableHandedOff: share(unanswerable.filter((record) => !answered(record)).length, unanswerable.length),
    wrongQuestions: wrong.map((record) => ({
      id: record.id,
      question: record.question,
      productId: record.productId,
      answer: record.answerText,
      expected: record.answerable ? (record.facts ?? []).map((group) => group.join(" / ")).join(" + ") : "(hand off)",
    })),
  };
}
