import type { AnswerDraft, Answerer, AnswerRequest } from "./answerer.ts";
import { composeAnswer } from "./compose-answer.ts";

/**
 * The answerer with no LLM: says the one or two facts or sentences the plan chose (the page
 * product's catalog facts first) and cites where each came from; nothing unrelated. Its answer is
 * known whole at once, so nothing streams: the answer's end carries it.
 */
export class ExtractiveAnswerer implements Answerer {
  readonly kind = "extractive";
  readonly verdicts = [null];
  readonly streams = false;

  async answer(request: AnswerRequest): Promise<AnswerDraft> {
    const delivery = request.onVerdict(null);
    const { text, cited } = composeAnswer(request.plan, request.language);
    return { text, cited: cited.map((passage) => ({ passage, marker: null })), verdict: null, delivery };
  }
}
