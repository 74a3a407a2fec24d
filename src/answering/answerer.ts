import type { Retrieval, RetrievedPassage } from "../retrieval/retriever.ts";

export type Turn = { author: "shopper" | "bot" | "agent"; text: string };

export type AnswerRequest = {
  question: string;
  language: "zh" | "en";
  retrieval: Retrieval;
  /** Earlier turns of the conversation, oldest first, without the question itself. */
  history: Turn[];
  signal: AbortSignal;
  /** Called with each piece of answer text, in order; awaited before the next piece. */
  onDelta: (text: string) => Promise<void>;
};

export type AnswerDraft = {
  text: string;
  /** The passages the answer drew on, in the order they are cited. */
  cited: RetrievedPassage[];
  /** The answerer's own verdict that the facts answer the question, in [0,1]; null when it has none. */
  grounding: number | null;
};

/** Produces an answer from retrieved passages, streaming it through onDelta. */
export interface Answerer {
  readonly kind: "extractive" | "llm";
  answer(request: AnswerRequest): Promise<AnswerDraft>;
}
