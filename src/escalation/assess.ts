import { answeredBy, planAnswer, type AnswerPlan } from "../answering/plan-answer.ts";
import { mergePlans, questionParts } from "../answering/question-parts.ts";
import type { Verdict } from "../answering/prompts.ts";
import type { CatalogProduct } from "../catalog/product.ts";
import type { ProductCatalog } from "../catalog/product-catalog.ts";
import type { ConfidenceReport } from "../protocol/conversation-events.ts";
import type { PassageIndex, Retrieval } from "../retrieval/passage-index.ts";
import { measureRetrieval, withVerdict, type RetrievalEvidence } from "./confidence.ts";
import { decideOnConfidence, decideOnMessage, type AnswerDecision } from "./escalation-policy.ts";
import { DEFAULT_GATE, gateFeatures, gateProbability, type GateFeatures, type GateModel } from "./gate.ts";

/**
 * A message asking several things whose answer goes to a person because some of its questions
 * cannot be answered: the plan answering the others (each confident on its own), and the questions
 * left to the person. The shopper is told what the bot knows before the hand-off.
 */
export type PartialAnswer = { plan: AnswerPlan; unanswered: string[]; confidence: ConfidenceReport };

export type Assessment = {
  retrieval: Retrieval;
  plan: AnswerPlan;
  /** Set when some but not all of the message's questions are answered confidently (see PartialAnswer). */
  partial: PartialAnswer | null;
  evidence: RetrievalEvidence;
  features: GateFeatures;
  /** Before any model verdict: the gate's probability that answering is right. */
  confidence: ConfidenceReport;
  decision: AnswerDecision;
  /** The decision once a model gave its verdict (null: none), the previous answer's weakness known. */
  decide: (verdict: Verdict | null, previousWeak: boolean) => { confidence: ConfidenceReport; decision: AnswerDecision };
};

/**
 * The one place that decides whether the bot answers a question: the live conversation, the
 * evaluation and the regression check all call it. It plans the answer (the page product's facts
 * first), measures the evidence, asks the calibrated gate, and applies the hand-off policy.
 */
export function assess(input: { question: string; language: "zh" | "en"; retrieval: Retrieval; product: CatalogProduct | null; threshold: number; gate?: GateModel }): Assessment {
  const { question, retrieval, threshold } = input;
  // A message asking two things ("多厚？多久抹一次油") is answered part by part, and only when every
  // part is answered: by its own plan, or by what the other parts' answers already say (a fact
  // found for one part may speak to the whole of another).
  const parts = questionParts(question).map((part) => {
    const plan = planAnswer({ question: part, language: input.language, retrieval, product: input.product });
    const evidence = measureRetrieval(part, retrieval, plan.source === "store" ? retrieval.storePassages : retrieval.passages);
    const features = gateFeatures(plan, evidence);
    return { question: part, plan, evidence, features, probability: gateProbability(features, input.gate ?? DEFAULT_GATE) };
  });
  const confident = parts.filter((part) => part.probability >= threshold);
  const others = confident.length > 0 && confident.length < parts.length ? mergePlans(confident.map((part) => part.plan), confident[0]!.plan) : null;
  const deciding = others ? parts.filter((part) => confident.includes(part) || !answeredBy(part.question, others, retrieval)) : parts;
  const weakest = deciding.reduce((least, part) => (part.probability < least.probability ? part : least));
  const { evidence, features, probability } = weakest;
  const plan = mergePlans(deciding.map((part) => part.plan), weakest.plan);
  const unanswered = deciding.filter((part) => part.probability < threshold).map((part) => part.question);
  const sure = confident.reduce((least, part) => (part.probability < least.probability ? part : least), confident[0]!);
  const partial: PartialAnswer | null =
    others && others.source !== "none" && unanswered.length > 0 && !plan.signals.orderProblem
      ? { plan: others, unanswered, confidence: withVerdict(sure.probability, { ...sure.evidence, gate: sure.probability }, null, threshold) }
      : null;
  const intent = decideOnMessage(question);
  const decide = (verdict: Verdict | null, previousWeak: boolean) => {
    const confidence = withVerdict(probability, { ...evidence, gate: probability }, verdict, threshold);
    // A problem with the shopper's own order goes to a person whatever a model says of the passages.
    const decision: AnswerDecision = intent
      ? { action: "handoff", reason: intent }
      : plan.signals.orderProblem
        ? { action: "handoff", reason: "low-confidence" }
        : decideOnConfidence({ score: confidence.score, threshold, verdict, previousWeak });
    return { confidence, decision };
  };
  const { confidence, decision } = decide(null, false);
  return { retrieval, plan, partial, evidence, features, confidence, decision, decide };
}

/** Retrieve, look up the page's product and assess: a question replayed outside a conversation. */
export async function assessQuestion(input: {
  retriever: Pick<PassageIndex, "retrieve">;
  catalog: ProductCatalog;
  question: string;
  productId: string | null;
  topK: number;
  threshold: number;
  language?: "zh" | "en";
  mode?: "hybrid" | "lexical" | "dense";
}): Promise<Assessment> {
  const retrieval = await input.retriever.retrieve({ query: input.question, productId: input.productId, topK: input.topK, ...(input.mode ? { mode: input.mode } : {}), ...(input.language ? { language: input.language } : {}) });
  const product = retrieval.productId ? await input.catalog.getProduct(retrieval.productId, retrieval.language) : null;
  return assess({ question: input.question, language: retrieval.language, retrieval, product, threshold: input.threshold });
}
