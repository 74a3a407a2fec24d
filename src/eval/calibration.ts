import type { EvalRecord } from "./eval-record.ts";

/**
 * Whether answering this question would have been right, the event the gate's probability is
 * meant to predict: on product-page sets, the answer holds the required facts; on passage sets,
 * the question is answerable and the answer cites a relevant passage. Null: not scored
 * (answerable=null, only partial evidence).
 */
export function answerIsRight(record: Pick<EvalRecord, "answerable" | "holdsFacts" | "cited" | "relevant">): boolean | null {
  if (record.answerable === null) return null;
  if (!record.answerable) return false;
  if (record.holdsFacts !== null) return record.holdsFacts;
  const relevant = new Set(record.relevant);
  return record.cited.some((id) => relevant.has(id));
}

export type CalibrationBin = { from: number; to: number; questions: number; meanProbability: number | null; rightShare: number | null };
export type Calibration = { questions: number; ece: number | null; brier: number | null; bins: CalibrationBin[] };

/**
 * Reliability of the gate's probability: questions in ten equal-width bins of probability, the
 * mean probability and the share actually right in each; expected calibration error is the
 * question-weighted mean gap between the two, the Brier score the mean squared error.
 */
export function computeCalibration(records: readonly Pick<EvalRecord, "probability" | "answerable" | "holdsFacts" | "cited" | "relevant">[]): Calibration {
  const scored = records.flatMap((record) => {
    const right = answerIsRight(record);
    return right === null ? [] : [{ p: record.probability, y: right ? 1 : 0 }];
  });
  const bins: CalibrationBin[] = Array.from({ length: 10 }, (_, index) => {
    const from = index / 10;
    const to = (index + 1) / 10;
    const inside = scored.filter(({ p }) => p >= from && (index === 9 ? p <= to : p < to));
    const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length);
    return { from, to, questions: inside.length, meanProbability: mean(inside.map(({ p }) => p)), rightShare: mean(inside.map(({ y }) => y)) };
  });
  if (scored.length === 0) return { questions: 0, ece: null, brier: null, bins };
  const ece = bins.reduce((sum, bin) => sum + (bin.questions === 0 ? 0 : (bin.questions / scored.length) * Math.abs(bin.meanProbability! - bin.rightShare!)), 0);
  const brier = scored.reduce((sum, { p, y }) => sum + (p - y) ** 2, 0) / scored.length;
  return { questions: scored.length, ece, brier, bins };
}
