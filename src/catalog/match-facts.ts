import { withDigits } from "../text/numerals.ts";
import { contentWords, lexicalTerms, normalizeText, segmentWords } from "../text/segment.ts";
import { FACT_CONCEPTS, HYPOTHETICAL, OFFER_REQUEST, ORDER_REFERENCE, ORDER_TROUBLE, PERSONAL_CASE, PREDICTION, QUESTION_WORDS, STORE_TOPICS, type FactConcept } from "./fact-lexicon.ts";
import type { CatalogProduct, ProductFact } from "./product.ts";
import type { Dimension } from "./quantities.ts";

/** A kind of fact the question asks for, and how specifically (longer phrasings count more). */
export type ConceptHit = { concept: FactConcept; strength: number };

/** A fact of the page's product and how well it answers the question, in [0, ~2]. */
export type FactMatch = { fact: ProductFact; score: number; concept: string | null; named?: readonly string[] };

/** How much naming the question's subject counts for a fact, beside the kind of fact asked. */
const SUBJECT_WEIGHT = 0.4;

/** How much the question's subject naming an attribute's label counts for that fact. */
const LABEL_SUBJECT_WEIGHT = 0.5;

/** Below this a fact is not an answer to the question. */
export const FACT_MIN_SCORE = 0.7;

export function findConcepts(question: string): ConceptHit[] {
  const text = withDigits(normalizeText(question));
  const found: (ConceptHit & { start: number; end: number })[] = [];
  for (const concept of FACT_CONCEPTS) {
    let best: { length: number; start: number; end: number } | null = null;
    for (const pattern of concept.values ? [...concept.ask, concept.values] : concept.ask) {
      const match = pattern.exec(text);
      const length = match ? [...match[0]].length * (/\p{Script=Han}/u.test(match[0]) ? 4 : 1) : 0;
      if (match && (!best || length > best.length)) best = { length, start: match.index, end: match.index + match[0].length };
    }
    if (best) found.push({ concept, strength: (0.7 + 0.3 * Math.min(1, best.length / 12)) * (concept.generic ? 0.85 : 1), start: best.start, end: best.end });
  }
  // A phrasing inside a longer one is part of it: "battery" in "how long does the battery last"
  // asks for the runtime, not the battery.
  const within = (inner: { start: number; end: number }, outer: { start: number; end: number }) =>
    outer.start <= inner.start && inner.end <= outer.end && outer.end - outer.start > inner.end - inner.start;
  const hits = found.filter((hit) => !found.some((other) => other !== hit && within(hit, other)));
  return hits.map(({ concept, strength }) => ({ concept, strength })).sort((a, b) => b.strength - a.strength);
}

export function isStoreTopic(question: string): boolean {
  const text = normalizeText(question);
  return STORE_TOPICS.some((pattern) => pattern.test(text));
}

export function isPersonalCase(question: string): boolean {
  const text = normalizeText(question);
  return PERSONAL_CASE.some((pattern) => pattern.test(text)) || isOrderProblem(question);
}

/** A shopper reporting a problem with their own order or item, not asking what would happen if. */
export function isOrderProblem(question: string): boolean {
  const text = normalizeText(question);
  if (HYPOTHETICAL.test(text)) return false;
  return ORDER_REFERENCE.some((pattern) => pattern.test(text)) && ORDER_TROUBLE.some((pattern) => pattern.test(text));
}

/** The question is a yes/no one about what the product can do or has ("can I…", "does it…", "能…吗"). */
const YES_NO = [
  /^(?:\W*(?:hi|hello|so|and|also|but|ok|okay|um|hey)\W+)?(?:can|could|does|do|is|are|will|would|should|has|have)\b/,
  /(?:吗|么|嘛)\s*[？?！!。.]*\s*$|能不能|可不可以|是不是|会不会|有没有|行不行|支不支持/,
];
export function isYesNoQuestion(question: string): boolean {
  const text = normalizeText(question).trim();
  return YES_NO.some((pattern) => pattern.test(text));
}

/** Asking whether the store offers another version of the product or a service around it. */
export function isOfferRequest(question: string): boolean {
  const text = normalizeText(question);
  return OFFER_REQUEST.some((pattern) => pattern.test(text));
}

/** Words of an offer request that frame it rather than name what is asked for ("do you sell", "is there a … version"). */
const OFFER_FRAME_WORDS = new Set(
  "sell sells make makes offer offers stock carry have has got available there version versions model models edition variant another other different newer older also any 有 没有 其他 别的 款 版 款式 版本 型号".split(" "),
);

/**
 * Share of what an offer request names ("price match", "student discount", "礼品包装") that a text
 * uses: 1 when the request names nothing beyond its frame ("do you sell…") or is no request.
 */
export function offerCoverage(question: string, text: string): number {
  const normalized = normalizeText(question);
  const named = OFFER_REQUEST.flatMap((pattern) => {
    const match = pattern.exec(normalized)?.[0] ?? "";
    // Words that can name a thing: Han words, Latin words of three letters or more ("xl" of "in
    // size XL" is a value the size answers, as subjectWords has it).
    const naming = (word: string) => /\p{Script=Han}/u.test(word) || word.length >= 3;
    return contentWords(match).filter((word) => naming(word) && !OFFER_FRAME_WORDS.has(word) && !QUESTION_WORDS.has(word) && !POINTERS.has(word));
  });
  const words = [...new Set(named)].map(vocabularyTerms).filter((terms) => terms.length > 0);
  if (words.length === 0) return 1;
  const vocabulary = new Set(vocabularyTerms(text));
  return words.filter((terms) => isKnown(terms, vocabulary)).length / words.length;
}

/** Asking the store to predict or judge ("will the price drop next month?", "现在买亏不亏"). */
export function isPrediction(question: string): boolean {
  const text = normalizeText(question);
  return PREDICTION.some((pattern) => pattern.test(text));
}

/** Words pointing back at the product or the shopper, never a thing of their own. */
export const POINTERS = new Set("it its this that these those them they me my you your one 它 这个 这款 我 我的 你 你们".split(" "));

/** English plurals and Han bigrams aside, a word as written: "prices" and "price" are one term. */
function stem(word: string): string {
  return /^[a-z]{4,}$/.test(word) ? word.replace(/(?:ies)$/, "y").replace(/(?<![s])s$/, "") : word;
}

/**
 * A word with its English inflection folded, the same for a question and for any text it is
 * looked up in: "prices"/"price", "shipping"/"shipped"/"ships"/"ship", "charging"/"charge" are
 * one term each. Han words and short words are left as written.
 */
export function foldWord(word: string): string {
  if (!/^[a-z]{4,}$/.test(word)) return word;
  let base = word.replace(/ies$/, "y").replace(/(?<=[a-z]{2}[^isu])(?:es|s)$/, (suffix) => (suffix === "es" && !/(?:ch|sh|x|ss)es$/.test(word) ? "e" : ""));
  const inflected = /(?<=[a-z]{3})(?:ing|(?<!e)ed)$/.exec(base);
  if (inflected) base = base.slice(0, inflected.index).replace(/([b-df-hjkmnp-rtv-y])\1$/, "$1");
  return base.length > 3 ? base.replace(/e$/, "") : base;
}

/** Every term of a text, stopwords kept, inflection folded (foldWord): a vocabulary to look words up in. */
export function vocabularyTerms(text: string): string[] {
  return lexicalTerms(segmentWords(text).map(foldWord));
}

/** Terms of a text for overlap: content words (light plural stemming) plus Han bigrams. */
export function textTerms(text: string, keepStopwords = false): string[] {
  const words = keepStopwords ? segmentWords(text) : contentWords(text);
  return lexicalTerms((words.length > 0 ? words : segmentWords(text)).map(stem));
}

/** The question's search terms: content words plus Han bigrams. */
export function questionTerms(question: string): Set<string> {
  return new Set(textTerms(question));
}

/** Share of `terms` found in `text` (words and Han bigrams). */
export function termOverlap(terms: ReadonlySet<string>, text: string): number {
  if (terms.size === 0) return 0;
  const found = new Set(textTerms(text, true));
  let covered = 0;
  for (const term of terms) if (found.has(term)) covered += 1;
  return covered / terms.size;
}

/**
 * A normalised question's words beyond the phrasings the lexicon knows, each as its terms (a Han
 * word by its bigrams), folded by the same function as the vocabulary they are looked up in
 * (vocabularyTerms): what the question is about besides the kind of fact ("pillowcase" of "how
 * big is the pillowcase").
 */
export function subjectWords(text: string, concepts: readonly ConceptHit[]): string[][] {
  let rest = text;
  for (const { concept } of concepts) for (const pattern of concept.ask) rest = rest.replace(pattern, " ");
  // Words that can carry the question's subject: Han words of two characters or more, Latin words of three letters or more.
  const meaningful = (word: string) => !QUESTION_WORDS.has(word) && (/\p{Script=Han}/u.test(word) ? [...word].length >= 2 : word.length >= 3);
  return contentWords(rest).filter(meaningful).map(vocabularyTerms);
}

/** Characters that join or frame words rather than name a thing: they end a run of single characters. */
export const FUNCTION_CHARACTERS = new Set([..."的吗了呢吧啊么嘛是在和与也都就还很太有不没这那我你他她它们个能会要可把被给让"]);

/**
 * Runs of three or more Han characters the segmenter left one by one (a word its dictionary lacks:
 * "燃气灶" of "放燃气灶上烧" comes out as 燃/气/灶), each as its bigrams, so that a word of the
 * question is not lost for being unknown to the segmenter. Phrasings of kinds of fact are left out first.
 */
export function singleCharacterRuns(question: string, concepts: readonly ConceptHit[]): string[][] {
  let rest = normalizeText(question);
  for (const { concept } of concepts) for (const pattern of concept.ask) rest = rest.replace(pattern, " ");
  const runs: string[][] = [];
  let run: string[] = [];
  const flush = () => {
    const bigrams = run.slice(1).map((character, index) => `${run[index]}${character}`);
    // Not a run of question words split up ("多长时间").
    if (run.length >= 3 && !bigrams.some((bigram) => QUESTION_WORDS.has(bigram))) runs.push(bigrams);
    run = [];
  };
  for (const word of segmentWords(rest)) {
    if ([...word].length === 1 && /\p{Script=Han}/u.test(word) && !FUNCTION_CHARACTERS.has(word)) run.push(word);
    else flush();
  }
  flush();
  return runs;
}

/** A word is known when the vocabulary has it, or for a Han word any of its bigrams (segmentation differs). */
export function isKnown(terms: readonly string[], vocabulary: ReadonlySet<string>): boolean {
  return terms.some((term) => vocabulary.has(term) && (terms.length === 1 || [...term].length > 1));
}

const NUMBER = /\d+(?:\.\d+)?/g;

/** Whether a fact states an amount in one of these dimensions. */
const gives = (fact: ProductFact, dimensions: readonly Dimension[]) => fact.quantities.some((quantity) => dimensions.includes(quantity.dimension));

/**
 * Rank the page product's facts for a question: by the kinds of fact it asks for (lexicon:
 * attribute names, catalog fields, units), by the words it shares with an attribute's name, and by
 * numbers it mentions that a value holds ("1.8 m bed" → the row for 1.8 m).
 */
export function matchFacts(question: string, product: CatalogProduct, concepts = findConcepts(question)): FactMatch[] {
  const terms = questionTerms(question);
  const numbers = new Set<string>(withDigits(normalizeText(question)).match(NUMBER) ?? []);
  // The product's own name is what the question is about, not a thing a fact must name ("保养套装哪年出的"
  // on the care kit's page is not about its 套装内容).
  const ownName = new Set(vocabularyTerms(product.name));
  const subject = subjectWords(normalizeText(question), concepts).filter((word) => !isKnown(word, ownName));
  const yesNo = isYesNoQuestion(question);
  // A unit of the kind asked counts less than the attribute's name, unless no other fact gives that
  // unit ("what's the wattage": the only row in watts, whatever its name). Not a time or a
  // temperature: a warranty, a shelf life and a room's temperature are all one.
  const soleInUnit = new Set(
    concepts.filter(({ concept }) => concept.units && !concept.units.some((unit) => unit === "time" || unit === "temperature"))
      .filter(({ concept }) => product.facts.filter((fact) => gives(fact, concept.units!)).length === 1)
      .map(({ concept }) => concept.id),
  );
  const matches: FactMatch[] = [];
  for (const fact of product.facts) {
    // Every kind of fact the question asks for that this fact is: the strongest counts whole,
    // the others a little ("how long is the cable": a length, and a cable's).
    const hits: { id: string; value: number }[] = [];
    for (const { concept, strength } of concepts) {
      let hit = 0;
      if (concept.kinds?.includes(fact.kind) || concept.names.test(fact.label)) hit = 1;
      else if (concept.units && gives(fact, concept.units)) hit = soleInUnit.has(concept.id) ? 1 : 0.6;
      else if (concept.names.test(fact.value)) hit = 0.6;
      if (hit > 0) hits.push({ id: concept.id, value: hit * strength });
    }
    hits.sort((a, b) => b.value - a.value);
    const best = (hits[0]?.value ?? 0) + 0.3 * hits.slice(1).reduce((sum, hit) => sum + hit.value, 0);
    const conceptId = hits[0]?.id ?? null;
    const labelOverlap = labelShare(terms, fact.label);
    const valueNumbers = new Set<string>(fact.value.replaceAll(",", "").match(NUMBER) ?? []);
    const sharedNumbers = [...numbers].filter((number) => valueNumbers.has(number)).length;
    const coverage = termOverlap(terms, `${fact.label} ${fact.value}`);
    // The thing the question is about named in a fact of the kind asked ("枕套多大": the set
    // contents give the pillowcases' size, the sizes row does not name them).
    const factVocabulary = new Set(vocabularyTerms(`${fact.label} ${fact.value}`));
    const named = subject.length === 0 ? 0 : subject.filter((word) => isKnown(word, factVocabulary)).length / subject.length;
    // With no kind of fact asked at all ("枕套是什么料子"), a fact naming the subject is what finds it:
    // all of it for a yes/no question ("can it grind spices" is not answered by the grind settings).
    const subjectShare = best > 0 ? named : concepts.length === 0 && (named === 1 || (!yesNo && named >= 0.5)) ? named : 0;
    // The question's subject all named by the attribute itself ("grind" of "how many grind sizes":
    // the grind settings, not the dimensions its "sizes" would ask for) counts whatever kind it asks.
    const labelVocabulary = new Set(vocabularyTerms(fact.label));
    const subjectInLabel = subject.length > 0 && subject.every((word) => isKnown(word, labelVocabulary)) ? 1 : 0;
    const score =
      best + 0.6 * labelOverlap + 0.4 * coverage + (sharedNumbers > 0 ? 0.3 : 0) + 0.2 * valueWordShare(terms, fact.value) + SUBJECT_WEIGHT * subjectShare + LABEL_SUBJECT_WEIGHT * subjectInLabel;
    if (score > 0) matches.push({ fact, score, concept: conceptId, named: [...new Set(textTerms(fact.label))].filter((term) => terms.has(term)).sort() });
  }
  return matches.sort((a, b) => b.score - a.score);
}

/** Share of an attribute name's terms the question uses ("blade" of "Blade length"). */
function labelShare(terms: ReadonlySet<string>, label: string): number {
  const labelTerms = new Set(textTerms(label));
  if (labelTerms.size === 0) return 0;
  let shared = 0;
  for (const term of labelTerms) if (terms.has(term)) shared += 1;
  return shared / labelTerms.size;
}

/** Share of the question's longer words found in a value ("pool" / "IP67" stay out; "AP40", "H2" count). */
function valueWordShare(terms: ReadonlySet<string>, value: string): number {
  const distinctive = [...terms].filter((term) => /\d/.test(term) && /\p{L}/u.test(term));
  if (distinctive.length === 0) return 0;
  const found = new Set(segmentWords(value));
  return distinctive.filter((term) => found.has(term)).length / distinctive.length;
}

/**
 * The facts that answer the question: the best one, and a second when the question asks for
 * another kind of fact too ("what is it made of and how big is it?") or it is nearly as good; or
 * up to three attributes it names alike.
 */
export function selectFacts(matches: readonly FactMatch[]): FactMatch[] {
  const [first, ...rest] = matches;
  if (!first || first.score < FACT_MIN_SCORE) return [];
  // Attributes the question names alike, by the words their labels share ("CADR" of "颗粒物 CADR"
  // and "甲醛 CADR", "warranty" of "Motor warranty" and "Battery warranty"): each answers it.
  // Not a label word beside a kind of fact the other is ("how long is the blade": the blade length, not its steel).
  const alike = (match: FactMatch) => (first.named?.length ?? 0) > 0 && match.named?.join(" ") === first.named!.join(" ") && match.concept === first.concept;
  const siblings = rest.filter((match) => match.score >= Math.max(FACT_MIN_SCORE, 0.8 * first.score) && alike(match)).slice(0, 2);
  if (siblings.length > 0) return [first, ...siblings];
  const second = rest.find((match) => match.score >= FACT_MIN_SCORE && (match.concept !== first.concept ? match.score >= 0.75 * first.score : match.score >= 0.95 * first.score));
  return second ? [first, second] : [first];
}

/**
 * The facts for a question asking a kind of amount ("开到最亮能撑多久": a time, "how many pounds": a
 * mass) when those found give none of it: the product's fact of that kind that the question's words
 * or the facts found point to ("续航：600 流明约 5 小时" beside "亮度：最高 600 流明"), else its only
 * fact of that kind, a time aside (a warranty, a charging time and a runtime are all times). The
 * facts found otherwise: an answer without the amount asked is no answer (missesAskedKind).
 */
export function factsOfKind(selected: FactMatch[], matches: readonly FactMatch[], product: CatalogProduct, kinds: readonly Dimension[]): FactMatch[] {
  if (kinds.length === 0 || selected.some(({ fact }) => gives(fact, kinds))) return selected;
  const ofKind = product.facts.filter((fact) => gives(fact, kinds));
  const found = new Map(matches.map((match) => [match.fact, match]));
  const named = new Set(selected.flatMap(({ fact }) => fact.quantities.map((quantity) => `${quantity.value} ${quantity.unit}`)));
  // A time is pointed to by the kind of fact asked naming the attribute ("how long does it play": the
  // runtime) or an amount shared, not by a word or a unit in common: "how long does it stay good" is
  // no warranty question.
  const labelled = (match: FactMatch) => FACT_CONCEPTS.some((concept) => concept.id === match.concept && concept.names.test(match.fact.label));
  const pointed = (match: FactMatch | undefined) => (match ? (kinds.includes("time") ? labelled(match) : match.score > 0) : false);
  const related = ofKind
    .map((fact) => {
      const sharesAmount = fact.quantities.some((quantity) => named.has(`${quantity.value} ${quantity.unit}`));
      const match = found.get(fact);
      return { fact, score: (pointed(match) ? match!.score : 0) + (sharesAmount ? 0.5 : 0), concept: match?.concept ?? null };
    })
    .filter((match) => match.score > 0)
    .sort((a, b) => b.score - a.score);
  if (related[0]) return [related[0]];
  if (ofKind.length === 1 && !kinds.includes("time")) return [{ fact: ofKind[0]!, score: FACT_MIN_SCORE, concept: null }];
  return selected;
}
