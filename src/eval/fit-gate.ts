import { GATE_TERM_NAMES, gateTerms, type GateFeatures, type GateModel, type GateTerm } from "../escalation/gate.ts";
import { answerIsRight } from "./calibration.ts";
import type { EvalRecord } from "./eval-record.ts";

export type GateSample = { features: GateFeatures; right: boolean; weight: number };

/**
 * Samples for fitting the gate from eval runs: one per scored question (answerable=null and
 * questions that ask for a person are left out, the gate never decides those), each run weighted
 * so that every case set counts the same however many questions it has.
 */
export function gateSamples(runs: readonly { name: string; records: readonly EvalRecord[] }[]): GateSample[] {
  return runs.flatMap(({ records }) => {
    const usable = records.flatMap((record) => {
      const right = answerIsRight(record);
      return right === null || record.intent ? [] : [{ features: record.features, right }];
    });
    return usable.map((sample) => ({ ...sample, weight: 1 / usable.length }));
  });
}

/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least squares):
 * a dozen features converge in a few steps, with no learning rate to tune. The bias is not
 * penalised. Terms given in `fixed` keep those weights and only the others are fitted: a new term
 * is added to a model whose earlier terms were fitted when its case sets still held the mistakes
 * that later lexicons removed (a full refit on the cleaned sets trusts the evidence more than
 * unseen questions warrant).
 */
export function fitLogistic(
  samples: readonly GateSample[],
  options: { l2: number; iterations?: number; fixed?: Partial<Record<GateTerm, number>> } = { l2: 0.01 },
): Record<GateTerm, number> {
  const names = GATE_TERM_NAMES;
  const size = names.length;
  const weights = Float64Array.from(names, (name) => options.fixed?.[name] ?? 0);
  const isFixed = names.map((name) => options.fixed?.[name] !== undefined);
  const total = samples.reduce((sum, sample) => sum + sample.weight, 0);
  for (let iteration = 0; iteration < (options.iterations ?? 50); iteration += 1) {
    const gradient = new Float64Array(size);
    const hessian = Array.from({ length: size }, () => new Float64Array(size));
    for (const sample of samples) {
      const x = gateTerms(sample.features);
      const z = x.reduce((sum, value, index) => sum + value * weights[index]!, 0);
      const p = 1 / (1 + Math.exp(-z));
      const w = sample.weight / total;
      for (let i = 0; i < size; i += 1) {
        gradient[i]! += w * (p - (sample.right ? 1 : 0)) * x[i]!;
        for (let j = 0; j < size; j += 1) hessian[i]![j]! += w * p * (1 - p) * x[i]! * x[j]!;
      }
    }
    for (let i = 0; i < size; i += 1) {
      if (names[i] === "bias") continue;
      gradient[i]! += options.l2 * weights[i]!;
      hessian[i]![i]! += options.l2;
    }
    for (let i = 0; i < size; i += 1) hessian[i]![i]! += 1e-9;
    for (let i = 0; i < size; i += 1) {
      if (!isFixed[i]) continue;
      gradient[i] = 0;
      for (let j = 0; j < size; j += 1) hessian[i]![j] = hessian[j]![i] = i === j ? 1 : 0;
    }
    const step = solve(hessian, gradient);
    let change = 0;
    for (let i = 0; i < size; i += 1) {
      weights[i]! -= step[i]!;
      change = Math.max(change, Math.abs(step[i]!));
    }
    if (change < 1e-7) break;
  }
  return Object.fromEntries(names.map((name, index) => [name, Math.round(weights[index]! * 1e4) / 1e4])) as Record<GateTerm, number>;
}

export function toGateModel(weights: Record<GateTerm, number>, fittedOn: string[], l2: number, refitted?: readonly string[]): GateModel {
  const scope = refitted ? `; only ${refitted.join(", ")} fitted, the other terms kept from the previous model` : "";
  return { note: `fitted by \`kefu fit-gate\` (logistic regression, L2 ${l2}, each case set weighted equally${scope}); review before shipping`, fittedOn, weights };
}

/** Gaussian elimination with partial pivoting: the Newton step. */
function solve(matrix: Float64Array[], vector: Float64Array): Float64Array {
  const n = vector.length;
  const a = matrix.map((row, index) => [...row, vector[index]!]);
  for (let column = 0; column < n; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < n; row += 1) if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    const lead = a[column]![column]!;
    if (Math.abs(lead) < 1e-12) continue;
    for (let row = 0; row < n; row += 1) {
      if (row === column) continue;
      const factor = a[row]![column]! / lead;
      for (let k = column; k <= n; k += 1) a[row]![k]! -= factor * a[column]![k]!;
    }
  }
  return Float64Array.from(a.map((row, index) => (Math.abs(row[index]!) < 1e-12 ? 0 : row[n]! / row[index]!)));
}
