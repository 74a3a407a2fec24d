import type { RetrievedPassage } from "../retrieval/retriever.ts";
import { contentWords, segmentSentences, segmentWords } from "../text/segment.ts";
import type { AnswerDraft, Answerer, AnswerRequest } from "./answerer.ts";

const MAX_PASSAGES = 2;
const MAX_SENTENCES = 3;

const PHRASES = {
  en: { intro: "Here is what I found:", from: (title: string) => `From "${title}": `, none: "I could not find this in our store information." },
  zh: { intro: "我找到了以下信息：", from: (title: string) => `「${title}」：`, none: "抱歉，我在店铺资料里没有找到这方面的信息。" },
} as const;

/**
 * The answerer with no LLM: quotes the sentences of the best passages that share most words
 * with the question, preferring passages in the shopper's language, and cites them.
 */
export class ExtractiveAnswerer implements Answerer {
  readonly kind = "extractive";

  async answer(request: AnswerRequest): Promise<AnswerDraft> {
    const delivery = request.onVerdict(null);
    const phrases = PHRASES[request.language];
    const chosen = choosePassages(request.retrieval.passages, request.language);
    const question = new Set(contentWords(request.question));
    const parts: string[] = [];
    const cited: AnswerDraft["cited"] = [];
    for (const passage of chosen) {
      const sentences = bestSentences(passage, question, cited.length === 0 ? MAX_SENTENCES : MAX_SENTENCES - 1);
      if (sentences.length === 0) continue;
      cited.push({ passage, marker: null });
      parts.push(phrases.from(passage.title) + sentences.join(passage.lang === "zh" ? "" : " "));
    }
    const text = cited.length > 0 ? `${phrases.intro}\n${parts.join("\n")}` : phrases.none;
    if (delivery === "stream") {
      for (const piece of pieces(text)) {
        if (request.signal.aborted) break;
        await request.onDelta(piece);
      }
    }
    return { text, cited, verdict: null, delivery };
  }
}

function choosePassages(passages: RetrievedPassage[], language: "zh" | "en"): RetrievedPassage[] {
  const inLanguage = passages.filter((passage) => passage.lang === language);
  return (inLanguage.length > 0 ? inLanguage : passages).slice(0, MAX_PASSAGES);
}

/** The sentences sharing most question words, kept in their original order. */
function bestSentences(passage: RetrievedPassage, question: Set<string>, limit: number): string[] {
  const sentences = segmentSentences(passage.text);
  if (sentences.length <= limit) return sentences;
  const scored = sentences.map((sentence, index) => {
    const words = new Set(segmentWords(sentence));
    let overlap = 0;
    for (const word of question) if (words.has(word)) overlap += 1;
    return { sentence, index, score: overlap + (index === 0 ? 0.1 : 0) };
  });
  return scored
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .sort((a, b) => a.index - b.index)
    .map((item) => item.sentence);
}

/** Split text into small pieces to stream, the way a model would send tokens. */
function pieces(text: string): string[] {
  return text.match(/[\s\S]{1,48}(?=\s|$)|[\s\S]{1,48}/g) ?? [text];
}
