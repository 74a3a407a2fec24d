import type { RetrievedPassage } from "../retrieval/retriever.ts";
import type { AnswerPlan } from "./plan-answer.ts";

export type ComposedAnswer = { text: string; cited: RetrievedPassage[] };

const NOT_FOUND = {
  en: (name: string | null) => `${name ? `The page of the ${name}` : "Our store information"} doesn't say. I'll pass your question to a colleague who can check.`,
  zh: (name: string | null) => `${name ? `「${name}」的商品页` : "店铺资料"}里没有写到这一点，我帮您转给同事确认。`,
} as const;

/**
 * After answering the questions of a message it is sure of, the ones it is not (each quoted). It
 * does not claim the page is silent: the page may say, in words the bot could not match.
 */
const UNSURE_REST = {
  en: (asked: string) => `I'm not sure about ${asked}, so I'll pass it to a colleague who can check.`,
  zh: (asked: string) => `关于${asked}我不太确定，我帮您转给同事确认。`,
} as const;

/** The word joining a question to the one before it ("and …", "另外…"): not part of what is quoted. */
const JOINING = /^(?:(?:and|also|plus|so|but)\s+|(?:另外|还有就是|顺便问一下|顺便问|再问一下|再问下)[，,]?\s*)/iu;

/** A quoted question is cut to this many characters: it names what is left, it does not repeat the message. */
const MAX_QUOTED = 60;

/** On a page the catalog does not know: said plainly, and no other product's facts offered. */
const UNKNOWN_PAGE = {
  en: "I don't have this product's details yet. I'll pass your question to a colleague who can help.",
  zh: "我这里还没有这款商品的资料，我帮您转给同事确认。",
} as const;

/** With no page, a question about "it" that names no product. */
const NO_REFERENT = {
  en: "I can't tell which product you mean. I'll pass your question to a colleague who can help.",
  zh: "我不确定您问的是哪款商品，我帮您转给同事确认。",
} as const;

/** A shopper's own order problem: the bot cannot look into an order, and says so. */
const ORDER_PROBLEM = {
  en: "I can't look into your order from here. I'll pass this to a colleague who can check it.",
  zh: "我这里查不到您订单的情况，我帮您转给同事处理。",
} as const;

/**
 * The offline answer: the one or two facts or sentences the plan chose, nothing else. Facts are
 * quoted as the catalog writes them ("The … is ¥199." / "…的价格：¥199。"); sentences as written.
 */
export function composeAnswer(plan: AnswerPlan, language: "zh" | "en"): ComposedAnswer {
  const cited: RetrievedPassage[] = [];
  const cite = (passage: RetrievedPassage | null) => {
    if (passage && !cited.includes(passage)) cited.push(passage);
  };
  if (plan.source === "fact" && plan.product) {
    const name = plan.product.name;
    const lines = plan.facts.map(({ match, passage }) => {
      cite(passage);
      const { fact } = match;
      if (language === "zh") return fact.kind === "price" ? `${name}售价 ${fact.value}。` : `${name}的${fact.label}：${fact.value}。`;
      return fact.kind === "price" ? `The ${name} is ${fact.value}.` : `${name} · ${fact.label}: ${endSentence(fact.value)}`;
    });
    return { text: [...lines, ...sentenceTexts(plan, language, cite)].join(language === "zh" ? "" : " "), cited };
  }
  if (plan.sentences.length > 0) return { text: sentenceTexts(plan, language, cite).join(language === "zh" ? "" : " "), cited };
  return { text: notFoundText(plan, language), cited };
}

/** The plan's sentences as written, each ending as a sentence, their passages cited. */
function sentenceTexts(plan: AnswerPlan, language: "zh" | "en", cite: (passage: RetrievedPassage) => void): string[] {
  return plan.sentences.map((sentence) => {
    cite(sentence.passage);
    return language === "zh" ? sentence.text.trim().replace(/[；;，,]$/, "。") : startSentence(endSentence(sentence.text));
  });
}

/** The text a hand-off shows when the page's product has no such fact. */
export function notFoundText(plan: AnswerPlan, language: "zh" | "en"): string {
  if (plan.signals.orderProblem) return ORDER_PROBLEM[language];
  if (plan.signals.unknownPage && plan.source !== "store") return UNKNOWN_PAGE[language];
  if (plan.signals.noReferent && plan.source === "none") return NO_REFERENT[language];
  return NOT_FOUND[language](plan.product?.name ?? null);
}

/**
 * The text a hand-off shows after a partial answer: which of the shopper's questions the bot is not
 * sure of, quoted in their words, and that a person will answer them.
 */
export function unsureRestText(unanswered: readonly string[], language: "zh" | "en"): string {
  const quote = (question: string) => {
    const characters = [...question.trim().replace(JOINING, "")];
    const text = characters.length > MAX_QUOTED ? `${characters.slice(0, MAX_QUOTED).join("").trimEnd()}…` : characters.join("");
    return language === "zh" ? `「${text}」` : `"${text}"`;
  };
  return UNSURE_REST[language](unanswered.map(quote).join(language === "zh" ? "和" : " and "));
}

/** A sentence cut after a semicolon ("…; orders under ¥99 pay…") starts with a capital letter. */
function startSentence(text: string): string {
  return text.replace(/^[a-z]/, (letter) => letter.toUpperCase());
}

/** A sentence ends with a full stop: one cut at a semicolon ("…; orders under ¥99 pay…") gets one instead. */
function endSentence(text: string): string {
  const trimmed = text.trim().replace(/\s*[;；,，]$/, "");
  return /[.!?。！？]\)?$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
