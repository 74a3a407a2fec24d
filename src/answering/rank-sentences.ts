import { termOverlap, textTerms } from "../catalog/match-facts.ts";
import { policyEntryMatch, type PolicyTopicHit } from "../catalog/match-policy.ts";
import type { RetrievedPassage } from "../retrieval/retriever.ts";
import { contentWords, segmentSentences } from "../text/segment.ts";

/** A sentence an answer may quote, with how well it answers the question. */
export type PlannedSentence = { passage: RetrievedPassage; text: string; score: number };

/**
 * Sentences of the passages by the question terms they hold (on the shopper's page, each weighed by
 * how few of the page's sentences hold it) and whether they name the kind of fact asked. A store
 * policy entry is scored as a whole too, within the store's policy entries found: by whether its
 * heading names the policy topic asked (policy lexicon: "how many days to get it" is
 * the delivery-time entry's, not the refund entry's), by the terms its heading and text share with
 * the question and by how retrieval ranked it (BM25 weighs rare words, the embedder meaning).
 */
export function rankSentences(
  passages: readonly RetrievedPassage[],
  asked: { question: string; terms: ReadonlySet<string>; cues: readonly RegExp[]; topics: readonly PolicyTopicHit[] },
  language: "zh" | "en",
): PlannedSentence[] {
  const { question, terms, cues, topics } = asked;
  const inLanguage = passages.filter((passage) => passage.lang === language);
  const pool = inLanguage.length > 0 ? inLanguage : passages;
  const bestPolicyScore = Math.max(0, ...pool.filter((passage) => passage.productId === null).map((passage) => passage.score));
  const scored: (PlannedSentence & { words: string })[] = [];
  const seen = new Set<string>();
  // Every candidate sentence once, with its terms: a question word most of them use ("oil" on a
  // diffuser's page) says less of which one answers than one word a single sentence uses ("perfume").
  const candidates = pool.flatMap((passage) =>
    answerSentences(passage.text).flatMap((text, index) => {
      if (seen.has(text)) return [];
      seen.add(text);
      // A product code the sentence cites ("KF-KIT-0103") is no word of it: "kit" of the question is not in it.
      const words = text.replace(PRODUCT_CODE, " ");
      return [{ passage, index, text, words, found: new Set(textTerms(words, true)) }];
    }),
  );
  const weight = new Map([...terms].map((term) => [term, Math.log(1 + candidates.length / (1 + candidates.filter(({ found }) => found.has(term)).length))]));
  const total = [...weight.values()].reduce((sum, value) => sum + value, 0);
  const weightedOverlap = (found: ReadonlySet<string>) => (total === 0 ? 0 : [...terms].reduce((sum, term) => sum + (found.has(term) ? weight.get(term)! : 0), 0) / total);
  const entryScores = new Map<RetrievedPassage, number>();
  const entryScoreOf = (passage: RetrievedPassage) => {
    if (entryScores.has(passage)) return entryScores.get(passage)!;
    const shared = 0.5 * termOverlap(terms, passage.title) + 0.5 * termOverlap(terms, `${passage.title} ${passage.text}`);
    const found = bestPolicyScore > 0 ? 0.7 * shared + 0.3 * (passage.score / bestPolicyScore) : shared;
    const entryScore = topics.length > 0 && passage.productId === null ? 0.4 * found + 0.6 * policyEntryMatch(topics, passage.title, passage.text, question) : found;
    entryScores.set(passage, entryScore);
    return entryScore;
  };
  for (const { passage, index, text, words, found } of candidates) {
    // On the shopper's page (its sentences all about one product); a store-wide search's passages are of many.
    const overlap = passage.onPage ? weightedOverlap(found) : [...terms].filter((term) => found.has(term)).length / Math.max(1, terms.size);
    const cue = cues.some((pattern) => pattern.test(text)) ? 0.3 : 0;
    // A policy entry answers the question in its heading: its sentences share the entry's match.
    const opening = index === 0 ? 0.1 : 0;
    const score = (passage.productId === null ? 0.25 * overlap + 0.75 * entryScoreOf(passage) + opening : overlap) + cue;
    // Of a page's sentences sharing as many of the question's words, the one sharing more beyond
    // the product's own name (its title) first: "cast iron" of "my cast iron pan got rusty" on the
    // Cast Iron Care Kit's page says nothing of which sentence answers, "rusty" does.
    if (score > 0) scored.push({ passage, text, score, words });
  }
  // …and of those, the one whose shared words are rarer among the sentences found ("enamel" of one
  // sentence before "oven" of several).
  const holding = scored.map((sentence) => new Set(textTerms(sentence.words, true)));
  const rarity = (term: string) => Math.log(1 + scored.length / Math.max(1, holding.filter((found) => found.has(term)).length));
  const rank = scored.map((sentence, index) =>
    sentence.passage.productId === null ? 0 : [...beyondTitle(terms, sentence.passage.title)].reduce((sum, term) => sum + (holding[index]!.has(term) ? rarity(term) : 0), 0),
  );
  return scored
    .map((sentence, index) => ({ sentence, rank: rank[index]! }))
    .sort((a, b) => b.sentence.score - a.sentence.score || b.rank - a.rank)
    .map(({ sentence: { passage, text, score } }) => ({ passage, text, score }));
}

/** A catalog product code as pages cite it ("KF-KIT-0103"). */
const PRODUCT_CODE = /\b[A-Za-z]{2,}-[A-Za-z]{2,}-\d{3,}\b/g;

/** The question's terms not in a page's title (the product's name); all of them when none is left. */
function beyondTitle(terms: ReadonlySet<string>, title: string): ReadonlySet<string> {
  const named = new Set(textTerms(title, true));
  const rest = new Set([...terms].filter((term) => !named.has(term)));
  return rest.size > 0 ? rest : terms;
}

/**
 * A passage's sentences, cut at semicolons too; a sentence that says nothing by itself ("Yes.",
 * "可以。") is kept with the one after it.
 */
export function answerSentences(text: string): string[] {
  const pieces = segmentSentences(text).flatMap((sentence) => sentence.split(/(?<=；)|(?<=; )/));
  const sentences: string[] = [];
  let pending = "";
  for (const [index, piece] of pieces.entries()) {
    const joined = pending ? `${pending}${/\p{Script=Han}/u.test(pending) ? "" : " "}${piece.trim()}` : piece;
    if (contentWords(piece).length <= 1 && index < pieces.length - 1) pending = joined;
    else {
      sentences.push(joined);
      pending = "";
    }
  }
  return sentences;
}
