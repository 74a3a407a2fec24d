import type { Retrieval, RetrievedPassage } from "../retrieval/retriever.ts";
import type { AnswerPlan } from "./plan-answer.ts";
import type { Verdict } from "./prompts.ts";

export type Turn = { author: "shopper" | "bot" | "agent"; text: string };

/** Whether the shopper sees the answer as it streams, or it is only kept as a draft for an agent. */
export type Delivery = "stream" | "silent";

export type AnswerRequest = {
  question: string;
  language: "zh" | "en";
  retrieval: Retrieval;
  /** Earlier turns of the conversation, oldest first, without the question itself. */
  history: Turn[];
  pageProduct: string | null;
  /** What the answer should say: the page product's facts, or the sentences chosen (see plan-answer.ts). */
  plan: AnswerPlan;
  signal: AbortSignal;
  /**
   * Called once, before any text, with the answerer's own verdict (null when it has none); the
   * caller decides from it whether the answer is shown at all.
   */
  onVerdict: (verdict: Verdict | null) => Delivery;
  /** The request to the model is being sent (after a free LLM slot was granted), and its first chunk came: for timing only. */
  onModelRequest?: () => void;
  onModelFirstChunk?: () => void;
  /** Each piece of shown answer text, in order; awaited before the next piece (only from an answerer that streams). */
  onDelta: (text: string) => Promise<void>;
  /** The text shown so far is void (a retry after a broken stream); what follows is a new answer. */
  onRestart: () => Promise<void>;
};

export type AnswerDraft = {
  text: string;
  /** The passages the answer drew on, in the order they are cited, with the marker used in the text. */
  cited: { passage: RetrievedPassage; marker: number | null }[];
  verdict: Verdict | null;
  delivery: Delivery;
};

/** Produces an answer from retrieved passages. */
export interface Answerer {
  readonly kind: "extractive" | "llm";
  /** Every verdict this answerer may give onVerdict (null: none), so a caller can tell ahead whether any would show the answer. */
  readonly verdicts: readonly (Verdict | null)[];
  /**
   * Whether its text comes over time (a model's tokens, shown as they come through onDelta), or is
   * known whole before anything is shown (then onDelta is never called and the draft's text is the answer).
   */
  readonly streams: boolean;
  answer(request: AnswerRequest): Promise<AnswerDraft>;
}

/** How one LLM request ended: whether it succeeded, whether another attempt follows, and the tokens it used. */
export type LlmCallEnd = { ok: boolean; retrying: boolean; tokens: number };

/** Around each LLM request: begin() waits for a free slot; the function it gives is told how the request ended. */
export interface LlmCallGate {
  begin(): Promise<(end: LlmCallEnd) => void>;
}
