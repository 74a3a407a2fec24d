import { findConcepts, isPersonalCase, isStoreTopic, matchFacts, questionTerms, selectFacts, termOverlap, textTerms, type ConceptHit, type FactMatch } from "../catalog/match-facts.ts";
import type { CatalogProduct } from "../catalog/product.ts";
import type { Retrieval, RetrievedPassage } from "../retrieval/retriever.ts";
import { contentWords, normalizeText, segmentSentences } from "../text/segment.ts";

export type PlannedSentence = { passage: RetrievedPassage; text: string; score: number };

/**
 * What an answer will say before any text is written: the page product's structured facts, or one
 * or two sentences of the page's own passages, of the store's policy pages, or (with no page) of
 * the best passages. Never another product's passages on a product page.
 */
export type AnswerPlan = {
  source: "fact" | "page-text" | "store" | "site" | "none";
  product: CatalogProduct | null;
  facts: { match: FactMatch; passage: RetrievedPassage | null }[];
  sentences: PlannedSentence[];
  signals: PlanSignals;
};

/** What the plan saw in the question and the evidence; the gate's inputs besides retrieval. */
export type PlanSignals = {
  /** Best fact match score (0 without a catalog product). */
  factScore: number;
  /** Share of the question's terms in the chosen sentences, plus a bonus when they name the kind of fact asked. */
  sentenceScore: number;
  /** The question asks for a kind of fact the lexicon knows. */
  asksFact: boolean;
  storeTopic: boolean;
  personalCase: boolean;
  onPage: boolean;
  /** The chosen sentences come from reviews (opinions, not facts of the store). */
  fromReviews: boolean;
  /**
   * Share of the question's words, beyond the phrasings the lexicon knows, that the page (or with
   * no page, the best passages) never uses: "does it mop?" on a vacuum that says nothing of mopping.
   */
  unknownWords: number;
};

const MAX_SENTENCES = 2;

export function planAnswer(input: { question: string; language: "zh" | "en"; retrieval: Retrieval; product: CatalogProduct | null }): AnswerPlan {
  const { question, retrieval, product } = input;
  const concepts = findConcepts(question);
  const storeTopic = isStoreTopic(question);
  const onPage = retrieval.productId !== null;
  const matches = product ? matchFacts(question, product, concepts) : [];
  const facts = selectFacts(matches);
  const signals: PlanSignals = {
    factScore: matches[0]?.score ?? 0,
    sentenceScore: 0,
    asksFact: concepts.length > 0,
    storeTopic,
    personalCase: isPersonalCase(question),
    onPage,
    fromReviews: false,
    unknownWords: unknownWordShare(question, concepts, pageVocabulary(retrieval, product)),
  };
  const base = { product, signals };
  if (facts.length > 0) {
    return { ...base, source: "fact", sentences: [], facts: facts.map((match) => ({ match, passage: passageHolding(retrieval.pagePassages, match.fact.label, match.fact.value) })) };
  }
  // On a product page a question is about the product unless it asks about store policy; the
  // page's own text comes first, then (for policy questions) the store's pages. No other product's.
  const storeWide = retrieval.passages.filter((passage) => passage.productId === null);
  const pageText = product ? retrieval.pagePassages.filter((passage) => !isCatalogListing(passage, product)) : retrieval.pagePassages;
  const pools: { source: AnswerPlan["source"]; passages: RetrievedPassage[] }[] = onPage
    ? storeTopic
      ? [{ source: "store", passages: storeWide }, { source: "page-text", passages: pageText }]
      : [{ source: "page-text", passages: pageText }]
    : [{ source: "site", passages: retrieval.passages.slice(0, 3) }];
  const terms = questionTerms(question);
  let best: { source: AnswerPlan["source"]; sentences: PlannedSentence[]; score: number } | null = null;
  for (const pool of pools) {
    const sentences = rankSentences(pool.passages, terms, concepts.map((hit) => hit.concept.names), input.language);
    const score = sentences[0]?.score ?? 0;
    if (sentences.length > 0 && (!best || score > best.score)) best = { source: pool.source, sentences, score };
  }
  if (!best || best.score === 0) return { ...base, source: "none", facts: [], sentences: [] };
  const [first, ...rest] = best.sentences;
  const chosen = [first!, ...rest.filter((sentence) => sentence.score >= 0.8 * first!.score).slice(0, MAX_SENTENCES - 1)];
  signals.sentenceScore = first!.score;
  signals.fromReviews = chosen.every((sentence) => sentence.passage.kind === "review");
  return { ...base, source: best.source, facts: [], sentences: chosen };
}

/** Sentences of the passages by the question terms they hold and whether they name the kind of fact asked. */
function rankSentences(passages: readonly RetrievedPassage[], terms: ReadonlySet<string>, cues: readonly RegExp[], language: "zh" | "en"): PlannedSentence[] {
  const inLanguage = passages.filter((passage) => passage.lang === language);
  const scored: PlannedSentence[] = [];
  const seen = new Set<string>();
  for (const passage of inLanguage.length > 0 ? inLanguage : passages) {
    for (const text of segmentSentences(passage.text).flatMap((sentence) => sentence.split(/(?<=；)|(?<=; )/))) {
      if (seen.has(text)) continue;
      seen.add(text);
      const overlap = termOverlap(terms, text);
      const cue = cues.some((pattern) => pattern.test(text)) ? 0.3 : 0;
      // A policy page's heading is the question it answers: its sentences share the heading's match.
      const heading = passage.productId === null ? termOverlap(terms, passage.title) : 0;
      const score = Math.max(overlap, 0.35 * overlap + 0.65 * heading) + cue;
      if (score > 0) scored.push({ passage, text, score });
    }
  }
  return scored.sort((a, b) => b.score - a.score);
}

/** Every term the page's product uses (its catalog fields and all its passages), or with no page the best passages'. */
function pageVocabulary(retrieval: Retrieval, product: CatalogProduct | null): Set<string> {
  const texts = retrieval.productId ? retrieval.pagePassages.map((passage) => `${passage.title} ${passage.text}`) : retrieval.passages.slice(0, 3).map((passage) => `${passage.title} ${passage.text}`);
  if (product) texts.push(product.name, product.description, ...product.facts.map((fact) => `${fact.label} ${fact.value}`));
  return new Set(texts.flatMap((text) => textTerms(text, true)));
}

function unknownWordShare(question: string, concepts: readonly ConceptHit[], vocabulary: ReadonlySet<string>): number {
  let rest = normalizeText(question);
  for (const { concept } of concepts) for (const pattern of concept.ask) rest = rest.replace(pattern, " ");
  const words = contentWords(rest).map((word) => textTerms(word, true));
  if (words.length === 0) return 0;
  // A Han word is known when any of its bigrams is (segmentation differs between question and page).
  const unknown = words.filter((terms) => !terms.some((term) => vocabulary.has(term) && (terms.length === 1 || [...term].length > 1)));
  return unknown.length / words.length;
}

/** A passage that only lists the product's catalog fields and attributes: its facts are matched as facts. */
function isCatalogListing(passage: RetrievedPassage, product: CatalogProduct): boolean {
  const listed = product.facts.filter((fact) => passage.text.includes(`${fact.label}: ${fact.value}`) || passage.text.includes(`${fact.label}：${fact.value}`)).length;
  return listed >= 2;
}

/** The page passage that states a fact, to cite it. */
function passageHolding(passages: readonly RetrievedPassage[], label: string, value: string): RetrievedPassage | null {
  return passages.find((passage) => passage.text.includes(value)) ?? passages.find((passage) => passage.text.includes(label)) ?? passages[0] ?? null;
}
