import type { PassageIndex, Retrieval } from "../retrieval/passage-index.ts";
import type { ConfidenceReport } from "../protocol/conversation-events.ts";
import { measureRetrieval, scoreConfidence } from "./confidence.ts";
import { decideOnConfidence, decideOnMessage, type AnswerDecision } from "./escalation-policy.ts";

export type Assessment = { retrieval: Retrieval; confidence: ConfidenceReport; decision: AnswerDecision };

/**
 * Whether the bot would answer a single question from retrieval evidence alone, as the offline
 * answerer decides it: what the regression check and the evaluation replay.
 */
export async function assessQuestion(input: { retriever: PassageIndex; question: string; productId: string | null; topK: number; threshold: number }): Promise<Assessment> {
  const retrieval = await input.retriever.retrieve({ query: input.question, productId: input.productId, topK: input.topK });
  const confidence = scoreConfidence(measureRetrieval(input.question, retrieval), null, input.threshold);
  const intent = decideOnMessage(input.question);
  const decision: AnswerDecision = intent
    ? { action: "handoff", reason: intent }
    : decideOnConfidence({ score: confidence.score, threshold: input.threshold, verdict: null, previousWeak: false });
  return { retrieval, confidence, decision };
}
