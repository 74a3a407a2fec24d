import type { Verdict } from "../answering/prompts.ts";
import type { RetrievalEvidence } from "../escalation/confidence.ts";
import type { HandoffReason } from "../escalation/escalation-policy.ts";
import type { GateFeatures } from "../escalation/gate.ts";
import type { Locale } from "../protocol/chat-payloads.ts";

/** One question of a case set, as written in its questions.jsonl (see ../shared/eval/FORMAT.md). */
export type EvalQuestion = {
  id: string;
  question: string;
  lang: Locale;
  /** The product page the question was asked on; null when asked site-wide. */
  productId: string | null;
  /** Documents that fully answer it. */
  relevant: string[];
  /** Documents that partly answer it. */
  partial: string[];
  answers: string[];
  /** true: a relevant document exists; false: the knowledge cannot answer it; null: only partial evidence. */
  answerable: boolean | null;
  /** Product-page sets: what a right answer must contain (every group; a group lists alternatives). */
  facts?: string[][];
};

/** One retrieved passage as the metrics see it. */
export type RetrievedHit = {
  documentId: string;
  key: string;
  score: number;
  lexicalRank: number | null;
  denseRank: number | null;
  onPage: boolean;
};

/**
 * What happened to one question in an eval run: the facts every metric is computed from, so
 * new metrics (hand-off, answer rate…) need only a new function over records, not a new run loop.
 */
export type EvalRecord = {
  id: string;
  question: string;
  /** The language the question was labelled with in the case set. */
  lang: Locale;
  /** The language retrieval detected, as production does. */
  detectedLanguage: Locale;
  /** The page context used for this run: the question's productId in page mode, null in site mode. */
  productId: string | null;
  answerable: boolean | null;
  relevant: string[];
  partial: string[];
  /** The top passages, best first. */
  retrieved: RetrievedHit[];
  /** Best lexical score and dense similarity over the whole knowledge base: retrieval evidence for confidence. */
  bestLexicalScore: number | null;
  bestDenseSimilarity: number | null;
  /** Document ids the answer cites, in citation order; empty when the answerer found nothing to say. */
  cited: string[];
  /** The answerer's own verdict on whether the facts answer the question; null when it has none (the extractive answerer). */
  verdict: Verdict | null;
  answerText: string;
  /** A message asking several things that is handed off: the answer given first to the questions the bot is sure of (null: none). */
  partAnswer: string | null;
  /** Retrieval evidence over the passages handed to the answerer. */
  evidence: RetrievalEvidence;
  /** The gate's inputs and its probability that answering is right (before any model verdict). */
  features: GateFeatures;
  probability: number;
  /** Where the answer's content came from (see AnswerPlan). */
  source: string;
  /** Product-page sets: the facts a right answer must contain, and whether this answer holds them. */
  facts: string[][] | null;
  holdsFacts: boolean | null;
  /** A hand-off the message itself asks for (a person, frustration), whatever the evidence. */
  intent: HandoffReason | null;
  /** Wall time of Retriever.retrieve for this question. */
  retrievalMs: number;
};
