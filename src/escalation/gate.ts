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
  "bias", "fact", "factScore", "sentenceScore", "asksFact", "storeTopic", "personalCase", "orderProblem", "asksOffer", "asksPrediction", "onPage", "unknownProduct",
  "storeAnswer", "catalogPage", "fromReviews", "noEvidence", "unknownWords", "answerCoverage", "focusCoverage", "policyMatch", "asksQuantity", "givesQuantity", "missesAmount", "coverage", "similarity", "agreement",
] as const;
export type GateFeature = (typeof GATE_FEATURES)[number];
export type GateFeatures = Record<GateFeature, number>;

/**
 * The model's terms: the evidence, split by what the answer would say (a catalog fact, sentences
 * of a page, or nothing), since the same signal means different things for each.
 */
const text = (f: GateFeatures) => 1 - f.fact - f.noEvidence;
/** A question with no page at all (not one on a page the catalog does not know). */
const site = (f: GateFeatures) => (1 - f.onPage) * (1 - f.unknownProduct);
export const GATE_TERMS = {
  bias: () => 1,
  fact: (f: GateFeatures) => f.fact,
  factScore: (f: GateFeatures) => f.fact * f.factScore,
  factUnknownWords: (f: GateFeatures) => f.fact * f.unknownWords,
  factAnswerCoverage: (f: GateFeatures) => f.fact * f.answerCoverage,
  noEvidence: (f: GateFeatures) => f.noEvidence,
  sentenceScore: (f: GateFeatures) => text(f) * f.sentenceScore,
  textUnknownWords: (f: GateFeatures) => text(f) * f.unknownWords,
  textAnswerCoverage: (f: GateFeatures) => text(f) * f.answerCoverage,
  fromReviews: (f: GateFeatures) => f.fromReviews,
  asksFact: (f: GateFeatures) => f.asksFact,
  storeTopic: (f: GateFeatures) => f.storeTopic,
  personalCase: (f: GateFeatures) => f.personalCase,
  asksOffer: (f: GateFeatures) => f.asksOffer,
  // Asked for another version or a service: the page's own value, or a policy entry about
  // something else, does not answer it ("能定制尺寸吗" is not answered by the board's size).
  factAsksOffer: (f: GateFeatures) => f.fact * f.asksOffer,
  storeAsksOffer: (f: GateFeatures) => f.storeAnswer * f.asksOffer,
  // …above all when the answer does not use the words of what was asked for (定制, "student").
  offerNotInAnswer: (f: GateFeatures) => f.asksOffer * (1 - f.answerCoverage),
  storeAnswer: (f: GateFeatures) => f.storeAnswer,
  storeAnswerCoverage: (f: GateFeatures) => f.storeAnswer * f.answerCoverage,
  storePolicyMatch: (f: GateFeatures) => f.storeAnswer * f.policyMatch,
  storeUnknownWords: (f: GateFeatures) => f.storeAnswer * f.unknownWords,
  catalogTextUnknownWords: (f: GateFeatures) => f.catalogPage * text(f) * f.unknownWords,
  onPage: (f: GateFeatures) => f.onPage,
  // A product the bot cannot identify (a page the catalog does not know, or "it" with no page):
  // only a store-policy answer can be right.
  unknownProduct: (f: GateFeatures) => f.unknownProduct,
  unknownProductNotStore: (f: GateFeatures) => f.unknownProduct * (1 - f.storeAnswer),
  // With no page, the question is a search over the whole store: the same evidence weighs otherwise.
  siteCoverage: (f: GateFeatures) => site(f) * f.coverage,
  siteSimilarity: (f: GateFeatures) => site(f) * f.similarity,
  siteAnswerCoverage: (f: GateFeatures) => site(f) * f.answerCoverage,
  coverage: (f: GateFeatures) => f.coverage,
  similarity: (f: GateFeatures) => f.similarity,
  agreement: (f: GateFeatures) => f.agreement,
  // What kind of answer is asked for against what is given: an amount asked ("how many packets",
  // "充几次", "I'm 1m83, will I fit") and answered with a number of its kind. Not for a request for
  // another version ("有 30 厘米的吗"): the product's own size is not the one asked for. (No term for
  // an amount asked and not given: the fitting sets hold almost no such answer, so its weight would
  // be noise.)
  quantityGiven: (f: GateFeatures) => (1 - f.noEvidence) * (1 - f.asksOffer) * f.asksQuantity * f.givesQuantity,
  focus: (f: GateFeatures) => (1 - f.noEvidence) * (1 - site(f)) * f.focusCoverage,
} as const;
export type GateTerm = keyof typeof GATE_TERMS;
export const GATE_TERM_NAMES = Object.keys(GATE_TERMS) as GateTerm[];

export type GateModel = { weights: Record<GateTerm, number>; fittedOn: string[]; note: string };

const gateModelSchema = z.object({
  weights: z.object(Object.fromEntries(GATE_TERM_NAMES.map((name) => [name, z.number().finite()])) as Record<GateTerm, z.ZodNumber>),
  fittedOn: z.array(z.string()),
  note: z.string(),
});

/** The model's inputs for one question, in GATE_TERM_NAMES order. */
export function gateTerms(features: GateFeatures): number[] {
  return GATE_TERM_NAMES.map((name) => GATE_TERMS[name](features));
}

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
    orderProblem: signals.orderProblem ? 1 : 0,
    asksOffer: signals.asksOffer ? 1 : 0,
    asksPrediction: signals.asksPrediction ? 1 : 0,
    onPage: signals.onPage ? 1 : 0,
    unknownProduct: signals.unknownPage || signals.noReferent ? 1 : 0,
    storeAnswer: plan.source === "store" ? 1 : 0,
    catalogPage: plan.product ? 1 : 0,
    fromReviews: signals.fromReviews ? 1 : 0,
    noEvidence: plan.source === "none" ? 1 : 0,
    unknownWords: signals.unknownWords,
    answerCoverage: signals.answerCoverage,
    focusCoverage: signals.focusCoverage,
    policyMatch: signals.policyMatch,
    asksQuantity: signals.asksQuantity ? 1 : 0,
    givesQuantity: signals.givesQuantity ? 1 : 0,
    missesAmount: signals.missesAmount ? 1 : 0,
    coverage: evidence.coverage,
    similarity: evidence.similarity,
    agreement: evidence.agreement,
  };
}

/**
 * Cases the model's evidence cannot argue away, capped at this probability: a shopper's report of a
 * problem with their own order (the store's pages cannot look into an order, however well an entry
 * matches its words), and on a product page a request for another version or a service that the
 * answer does not name ("能定制尺寸吗" answered with the board's size, "extended warranty" with the
 * warranty). A store-wide search for "定制…" is a search for such products, not a request. And a
 * question asking the store to predict or judge ("will the price drop next month?"): no page says,
 * and the price-protection entry its words find is about prices already paid. And on a product
 * page an answer that speaks to none of the question's focus (question-focus.ts): a fact or
 * sentence of the right product about something else ("多少分贝" answered with the size, "can I
 * clamp it to the desk" with what the lamp is for) is a wrong answer, however well it matched.
 */
export const HAND_OFF_CEILING = 0.05;

export function gateProbability(features: GateFeatures, model: GateModel = DEFAULT_GATE): number {
  const probability = modelProbability(features, model);
  const mustHandOff =
    features.orderProblem === 1 ||
    features.asksPrediction === 1 ||
    features.missesAmount === 1 ||
    (features.asksOffer === 1 && features.onPage === 1 && features.answerCoverage < 1) ||
    (features.noEvidence === 0 && (features.onPage === 1 || features.unknownProduct === 1) && features.focusCoverage === 0);
  return mustHandOff ? Math.min(HAND_OFF_CEILING, probability) : probability;
}

function modelProbability(features: GateFeatures, model: GateModel): number {
  const terms = gateTerms(features);
  let z = 0;
  GATE_TERM_NAMES.forEach((name, index) => (z += model.weights[name] * terms[index]!));
  return 1 / (1 + Math.exp(-z));
}
