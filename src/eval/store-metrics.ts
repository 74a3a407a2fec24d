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
  /**
   * Hand-offs of a message asking several things where the bot first answered the ones it was sure
   * of: their share of all hand-offs, and the share of those on answerable questions whose part
   * answer holds at least one of the facts a whole answer needs.
   */
  partAnswered: number | null;
  partAnswerHoldsFact: number | null;
  /** Mean length in characters of the answers given: an answer, not a paragraph. */
  meanAnswerChars: number | null;
  wrongQuestions: { id: string; question: string; productId: string | null; answer: string; expected: string }[];
};

/**
 * Facts are compared after width, case, spacing and thousands separators are normalised, and with
 * the answer's written dates ("12 November 2026", "2026 年 9 月 20 日") also read as the catalog's
 * YYYY-MM-DD, the form case sets copy from it.
 */
export function holdsFacts(answer: string, facts: readonly (readonly string[])[]): boolean {
  const text = `${normalizeFact(answer)} ${normalizeFact(withCatalogDates(answer))}`;
  return facts.every((group) => group.some((alternative) => text.includes(normalizeFact(alternative))));
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const pad = (value: string | number) => String(value).padStart(2, "0");

function withCatalogDates(text: string): string {
  return text
    .replace(/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g, (_, year: string, month: string, day: string) => `${year}-${pad(month)}-${pad(day)}`)
    .replace(/\b(\d{1,2}) ([A-Za-z]+) (\d{4})\b/g, (written: string, day: string, name: string, year: string) => {
      const month = MONTHS.indexOf(name.toLowerCase());
      return month < 0 ? written : `${year}-${pad(month + 1)}-${pad(day)}`;
    });
}

function normalizeFact(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/(\d),(\d{3})/g, "$1$2").replace(/[\s\-–]/g, "");
}

function partAnswers(handedOff: readonly EvalRecord[]): Pick<StoreMetrics, "partAnswered" | "partAnswerHoldsFact"> {
  const withPart = handedOff.filter((record) => record.partAnswer);
  const answerable = withPart.filter((record) => record.answerable === true);
  const holdsOne = answerable.filter((record) => (record.facts ?? []).some((group) => holdsFacts(record.partAnswer!, [group])));
  return {
    partAnswered: handedOff.length === 0 ? null : withPart.length / handedOff.length,
    partAnswerHoldsFact: answerable.length === 0 ? null : holdsOne.length / answerable.length,
  };
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
    ...partAnswers(scored.filter((record) => !answered(record))),
    meanAnswerChars: ((given) => (given.length === 0 ? null : Math.round(given.reduce((sum, record) => sum + [...record.answerText].length, 0) / given.length)))(scored.filter(answered)),
    wrongQuestions: wrong.map((record) => ({
      id: record.id,
      question: record.question,
      productId: record.productId,
      answer: record.answerText,
      expected: record.answerable ? (record.facts ?? []).map((group) => group.join(" / ")).join(" + ") : "(hand off)",
    })),
  };
}
