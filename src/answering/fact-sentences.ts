import { isKnown, questionTerms, singleCharacterRuns, subjectWords, vocabularyTerms, type ConceptHit } from "../catalog/match-facts.ts";
import { withoutPolicyPhrasings, type PolicyTopicHit } from "../catalog/match-policy.ts";
import type { CatalogProduct } from "../catalog/product.ts";
import { askedCount, givesQuantity, parseQuantities, statedWithin } from "../catalog/quantities.ts";
import { QUESTION_WORDS } from "../catalog/fact-lexicon.ts";
import type { Retrieval, RetrievedPassage } from "../retrieval/retriever.ts";
import { contentWords, normalizeText } from "../text/segment.ts";
import { rankSentences, type PlannedSentence } from "./rank-sentences.ts";

/*
 * The page sentences that go with the facts an answer gives: one naming what only the description
 * speaks of, one stating the amount asked, one naming the condition asked about.
 */

/**
 * The page sentence (not the catalog listing) naming a word of the question that the facts chosen
 * do not, and that none of the product's facts uses: what only the description speaks of.
 */
export function sentenceNaming(
  question: string,
  concepts: readonly ConceptHit[],
  topics: readonly PolicyTopicHit[],
  factText: string,
  product: CatalogProduct,
  retrieval: Retrieval,
  language: "zh" | "en",
): PlannedSentence | null {
  const allFacts = new Set(vocabularyTerms(`${factText} ${product.facts.map((fact) => `${fact.label} ${fact.value}`).join(" ")}`));
  // Words the segmenter left as single characters ("放燃气灶上烧" → 放/燃/气/灶/上/烧) count by their bigrams.
  const missing = [...otherWords(question, concepts, topics), ...singleCharacterRuns(withoutPolicyPhrasings(question, topics), concepts)].filter((terms) => !isKnown(terms, allFacts));
  if (missing.length === 0) return null;
  const pageText = retrieval.pagePassages.filter((passage) => !isCatalogListing(passage, product));
  const sentences = rankSentences(pageText, { question, terms: questionTerms(question), cues: [], topics: [] }, language);
  return sentences.find((sentence) => {
    const vocabulary = new Set(vocabularyTerms(sentence.text));
    return missing.some((terms) => isKnown(terms, vocabulary));
  }) ?? null;
}

/**
 * A condition the question puts on the kind of fact it asks that the facts chosen do not name ("with
 * the big floor brush on" of a runtime given for other tools, "no heating in winter" of a warmth
 * given as a room temperature): the page sentence naming the condition with that kind of fact
 * ("around 35 minutes in Eco with the motorised floor head", "not warm enough … in winter").
 */
export function sentenceQualifying(question: string, concepts: readonly ConceptHit[], stated: string, product: CatalogProduct, retrieval: Retrieval, language: "zh" | "en"): PlannedSentence | null {
  if (concepts.length === 0) return null;
  // The question's own words (not question words), phrasings of the kind asked included ("winter"),
  // that neither the product's name nor the facts chosen use.
  const given = new Set(vocabularyTerms(`${product.name} ${stated}`));
  const meaningful = (word: string) => !QUESTION_WORDS.has(word) && (/\p{Script=Han}/u.test(word) ? [...word].length >= 2 : word.length >= 3);
  const condition = contentWords(question).filter(meaningful).map(vocabularyTerms).filter((terms) => terms.length > 0 && !isKnown(terms, given));
  if (condition.length === 0) return null;
  // A sentence of the kind asked: naming it, or using a phrasing of it; not by a bare interrogative's kind ("多长" → 长).
  const kinds = concepts.filter(({ concept }) => !concept.generic);
  const ofKind = (text: string) => kinds.some(({ concept }) => concept.names.test(text) || concept.ask.some((pattern) => pattern.test(normalizeText(text))));
  const names = (text: string) => {
    const vocabulary = new Set(vocabularyTerms(text));
    return condition.some((terms) => isKnown(terms, vocabulary));
  };
  const pageText = retrieval.pagePassages.filter((passage) => !isCatalogListing(passage, product));
  const sentences = rankSentences(pageText, { question, terms: questionTerms(question), cues: [], topics: [] }, language);
  // Not a sentence restating the facts' own numbers ("在壁挂座上充满需要 3.5 小时" of "充电时间：3.5 小时").
  const givenNumbers = new Set(stated.replaceAll(",", "").match(/\d+(?:\.\d+)?/g) ?? []);
  const restates = (text: string) => {
    const numbers = text.replaceAll(",", "").match(/\d+(?:\.\d+)?/g) ?? [];
    return numbers.length > 0 && numbers.every((number) => givenNumbers.has(number));
  };
  return sentences.find((sentence) => names(sentence.text) && ofKind(sentence.text) && !restates(sentence.text)) ?? null;
}

/**
 * For a question counting in people or times ("够几个人吃"), or stating an amount of its own to
 * measure against ("我家烤箱进深35公分", "I'm 178cm with a 100cm chest"), that the facts chosen do not
 * give ("容量：4.2 升", "Sizes: XS–XXL"): the sentence that does, of the page or of a store entry
 * about this product (one naming its SKU, such as a size guide's row for it), best ranked first.
 */
export function sentenceStating(question: string, factText: string, product: CatalogProduct, retrieval: Retrieval, language: "zh" | "en"): PlannedSentence | null {
  const counted = askedCount(question);
  const states = (text: string) => (counted ? counted.test(normalizeText(text)) : givesQuantity(question, text));
  if ((!counted && parseQuantities(question).length === 0) || states(factText)) return null;
  const own = [
    ...retrieval.pagePassages.filter((passage) => !isCatalogListing(passage, product)),
    ...retrieval.storePassages.filter((passage) => passage.text.includes(product.sku)),
  ];
  const sentences = rankSentences(own, { question, terms: questionTerms(question), cues: [], topics: [] }, language);
  const stating = sentences.filter((sentence) => states(sentence.text));
  // Of those, the one whose ranges hold the shopper's own measurements (a size row), else the best ranked.
  const within = stating.map((sentence) => statedWithin(question, sentence.text));
  const most = Math.max(0, ...within);
  return stating[within.indexOf(most)] ?? null;
}

/** The question's words beyond the fact and policy phrasings the lexicons know (subjectWords). */
export function otherWords(question: string, concepts: readonly ConceptHit[], topics: readonly PolicyTopicHit[]): string[][] {
  return subjectWords(withoutPolicyPhrasings(normalizeText(question), topics), concepts);
}

/** A passage that only lists the product's catalog fields and attributes: its facts are matched as facts. */
export function isCatalogListing(passage: RetrievedPassage, product: CatalogProduct): boolean {
  const listed = product.facts.filter((fact) => passage.text.includes(`${fact.label}: ${fact.value}`) || passage.text.includes(`${fact.label}：${fact.value}`)).length;
  return listed >= 2;
}
