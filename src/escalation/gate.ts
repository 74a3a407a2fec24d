import { readFileSync } from "node:fs";
import { z } from "zod";
import type { AnswerPlan } from "../answering/plan-answer.ts";
import type { RetrievalEvidence } from "./confidence.ts";

/**
 * The answer/hand-off gate: a logistic regression over the evidence the server has for one
 * question, giving the probability that answering it is right. Its weights are fitted by
 * `kefu fit-gate` on case sets and reviewed as a data file (gate-weights.json).
 */
export const GATE_FEATURES = [
  "bias", "fact", "factScore", "sentenceScore", "asksFact", "storeTopic", "personalCase", "onPage",
  "fromReviews", "noEvidence", "unknownWords", "coverage", "similarity", "agreement",
] as const;
export type GateFeature = (typeof GATE_FEATURES)[number];
export type GateFeatures = Record<GateFeature, number>;

export type GateModel = { weights: GateFeatures; fittedOn: string[]; note: string };

const gateModelSchema = z.object({
  weights: z.object(Object.fromEntries(GATE_FEATURES.map((name) => [name, z.number().finite()])) as Record<GateFeature, z.ZodNumber>),
  fittedOn: z.array(z.string()),
  note: z.string(),
});

export function parseGateModel(json: unknown): GateModel {
  return gateModelSchema.parse(json) as GateModel;
}

/** The shipped model (src/escalation/gate-weights.json). */
export const DEFAULT_GATE: GateModel = parseGateModel(JSON.parse(readFileSync(new URL("./gate-weights.json", import.meta.url), "utf8")));

export function gateFeatures(plan: AnswerPlan, evidence: RetrievalEvidence): GateFeatures {
  const { signals } = plan;
  return {
    bias: 1,
    fact: plan.source === "fact" ? 1 : 0,
    factScore: Math.min(2, signals.factScore) / 2,
    sentenceScore: Math.min(1.3, signals.sentenceScore),
    asksFact: signals.asksFact ? 1 : 0,
    storeTopic: signals.storeTopic ? 1 : 0,
    personalCase: signals.personalCase ? 1 : 0,
    onPage: signals.onPage ? 1 : 0,
    fromReviews: signals.fromReviews ? 1 : 0,
    noEvidence: plan.source === "none" ? 1 : 0,
    unknownWords: signals.unknownWords,
    coverage: evidence.coverage,
    similarity: evidence.similarity,
    agreement: evidence.agreement,
  };
}

export function gateProbability(features: GateFeatures, model: GateModel = DEFAULT_GATE): number {
  let z = 0;
  for (const name of GATE_FEATURES) z += model.weights[name] * features[name];
  return 1 / (1 + Math.exp(-z));
}
