import type { AnswerDraft, Answerer, AnswerRequest } from "./answerer.ts";
import { composeAnswer } from "./compose-answer.ts";

/**
 * The answerer with no LLM: says the one or two facts or sentences the plan chose (the page
 * product's catalog facts first) and cites where each came from; nothing unrelated.
 */
export class ExtractiveAnswerer implements Answerer {
  readonly kind = "extractive";
  readonly verdicts = [null];

  async answer(request: AnswerRequest): Promise<AnswerDraft> {
    const delivery = request.onVerdict(null);
    const { text, cited } = composeAnswer(request.plan, request.language);
    if (delivery === "stream") {
      for (const piece of pieces(text)) {
        if (request.signal.aborted) break;
        await request.onDelta(piece);
      }
    }
    return { text, cited: cited.map((passage) => ({ passage, marker: null })), verdict: null, delivery };
  }
}

/** Split text into small pieces to stream, the way a model would send tokens. */
function pieces(text: string): string[] {
  return text.match(/[\s\S]{1,48}(?=\s|$)|[\s\S]{1,48}/g) ?? [text];
}
