import type { Verdict } from "../answering/prompts.ts";
import { contentWords, lexicalTerms } from "../text/segment.ts";
import { asksForHuman, soundsFrustrated } from "./shopper-intent.ts";

export const HANDOFF_REASONS = ["shopper-request", "frustration", "low-confidence", "repeated-failure", "llm-unavailable", "search-unavailable", "agent-request", "bot-budget"] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** A bot answer margin above the threshold that still counts as weak: two weak answers in a row hand off. */
export const WEAK_MARGIN = 0.1;

/** Checked the moment a shopper message arrives, before the bot does anything with it. */
export function decideOnMessage(text: string): HandoffReason | null {
  if (asksForHuman(text)) return "shopper-request";
  if (soundsFrustrated(text)) return "frustration";
  return null;
}

/** The shopper asks again what they asked before: the earlier answer did not help. */
export function isRepeatedQuestion(question: string, earlierQuestions: readonly string[]): boolean {
  const terms = new Set(lexicalTerms(contentWords(question)));
  if (terms.size < 2) return false;
  return earlierQuestions.some((earlier) => {
    const other = new Set(lexicalTerms(contentWords(earlier)));
    let shared = 0;
    for (const term of terms) if (other.has(term)) shared += 1;
    return shared / (terms.size + other.size - shared) >= 0.7;
  });
}

export type AnswerDecision = { action: "answer" } | { action: "handoff"; reason: HandoffReason };

/** Decide, once confidence is known and before anything is shown, whether the bot answers. */
export function decideOnConfidence(input: { score: number; threshold: number; verdict: Verdict | null; previousWeak: boolean }): AnswerDecision {
  if (input.verdict === "WANTS_HUMAN") return { action: "handoff", reason: "shopper-request" };
  if (input.score < input.threshold) return { action: "handoff", reason: "low-confidence" };
  if (input.previousWeak && input.score < input.threshold + WEAK_MARGIN) return { action: "handoff", reason: "repeated-failure" };
  return { action: "answer" };
}

export function isWeak(score: number, threshold: number): boolean {
  return score < threshold + WEAK_MARGIN;
}
