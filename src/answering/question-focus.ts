import { QUANTITY_QUESTION, QUESTION_WORDS, type FactConcept } from "../catalog/fact-lexicon.ts";
import { findConcepts, FUNCTION_CHARACTERS, isKnown, vocabularyTerms } from "../catalog/match-facts.ts";
import { findPolicyTopics } from "../catalog/match-policy.ts";
import { unitAskSpans } from "../catalog/quantities.ts";
import { STATED_MEASURE, withDigits } from "../text/numerals.ts";
import type { PolicyTopic } from "../catalog/policy-lexicon.ts";
import type { ProductFact } from "../catalog/product.ts";
import { contentWordSpans, normalizeText } from "../text/segment.ts";

/**
 * One word of what a question asks about, and the kinds of fact and policy topics whose phrasing
 * it is part of ("分贝" of the noise, "difference" of "difference back", price protection's).
 */
export type FocusWord = { word: string; terms: string[]; concepts: FactConcept[]; topics: PolicyTopic[] };

/** What an answer says: the facts it quotes and its text (facts, sentences and their headings). */
export type AnswerContent = { facts: readonly ProductFact[]; text: string };

/**
 * The question's focus: its words beyond stopwords, question frame words ("how", "多少", "around")
 * and the product's own name and category ("磨豆" on the grinder's page, "purifier" on the
 * purifier's), the words an answer has to speak to. Han words count by their bigrams, Latin words
 * of three letters or more by their folded form, as everywhere a question's words are looked up.
 */
export function questionFocus(question: string, own: string, name = own): FocusWord[] {
  // Amounts in Chinese numerals read like amounts in digits ("一米七五" is an amount stated, not a word asked about).
  const text = withDigits(normalizeText(question));
  const phrasings = phrasingSpans(text);
  // The interrogatives ("how big", "多大"): what they ask is named by the rest of the question.
  const asking = QUANTITY_QUESTION.flatMap((pattern) => [...text.matchAll(new RegExp(pattern.source, "g"))].map((match) => ({ start: match.index, end: match.index + match[0].length })));
  // An amount asked in a unit ("how many pounds", "几公分"): a unit no phrasing of a kind of fact
  // holds asks, like the interrogative. A measurement's name before the amount stated ("身高170")
  // says what the amount is.
  const inUnits = [...unitAskSpans(text), ...[...text.matchAll(STATED_MEASURE)].map((match) => ({ start: match.index, end: match.index + match[0].length }))];
  const ownVocabulary = new Set(vocabularyTerms(own));
  const focus = new Map<string, FocusWord>();
  const add = (word: string, terms: string[], within: readonly Phrasing[]) => {
    // The product's own name is what the question is about, not what it asks, unless its word is a
    // phrasing of a kind of fact (保温 of "保温效果怎么样" on the 保温杯's page: the insulation is asked).
    if (terms.length === 0 || ((isKnown(terms, ownVocabulary) || namesOwnThing(word, name)) && !within.some((found) => found.concept))) return;
    const known = focus.get(word) ?? { word, terms, concepts: [], topics: [] };
    for (const found of within) {
      if (found.concept && !known.concepts.includes(found.concept)) known.concepts.push(found.concept);
      if (found.topic && !known.topics.includes(found.topic)) known.topics.push(found.topic);
    }
    focus.set(word, known);
  };
  // Han characters the segmenter left one by one, side by side in the question (a word its
  // dictionary lacks: 引/闪/器), count by their bigrams. Characters a stopword stood between are
  // not one word: 盒 and 放 of "耳机盒能放…" are not a word "盒放".
  let run: string[] = [];
  let runEnd = -1;
  const flush = () => {
    if (run.length >= 2) add(run.join(""), run.slice(1).map((character, index) => `${run[index]}${character}`), []);
    run = [];
  };
  for (const { word, start, end } of contentWordSpans(text)) {
    const within = phrasings.filter((found) => found.start < end && start < found.end);
    if (within.length === 0 && inUnits.some((found) => found.start <= start && end <= found.end)) {
      flush();
      continue;
    }
    // A model code ("e1", "h2") names a thing however short.
    const single = /\p{Script=Han}/u.test(word) ? [...word].length < 2 : word.length < 3 && !/^[a-z]+\d+$/.test(word);
    if (single && within.length === 0 && /\p{Script=Han}/u.test(word) && !FUNCTION_CHARACTERS.has(word) && !QUESTION_WORDS.has(word)) {
      if (start !== runEnd) flush();
      run.push(word);
      runEnd = end;
      continue;
    }
    flush();
    // A word can name a thing: Han words of two characters or more, Latin words of three letters or
    // more; any word of a phrasing the lexicons know ("退" of "能退", "come" of "come with", "110kg" of
    // "im about 110kg") but the question words of an interrogative ("多大" of "声音有多大").
    const interrogative = isQuestionWord(word) && (isFunctionWord(word) || asking.some((found) => found.start < end && start < found.end));
    if (within.length > 0 ? interrogative : single || isFrameWord(word)) continue;
    add(word, [...vocabularyTerms(word), ...edgeBigrams(text, start, end)], within);
  }
  flush();
  return [...focus.values()];
}

/**
 * A Han word's bigrams with the characters beside it in the question, when those name something
 * too: the segmenter cuts "能装回去" as 装/回去 and "用水冲" as 用水/冲, where an answer says "装回"
 * and "冷水冲洗". A word is spoken to when the answer has one of them.
 */
function edgeBigrams(text: string, start: number, end: number): string[] {
  const names = (character: string | undefined) => character !== undefined && /\p{Script=Han}/u.test(character) && !FUNCTION_CHARACTERS.has(character) && !QUESTION_WORDS.has(character);
  const word = text.slice(start, end);
  if (!/^\p{Script=Han}+$/u.test(word)) return [];
  const before = text[start - 1];
  const after = text[end];
  return [...(names(before) ? [`${before}${word[0]}`] : []), ...(names(after) ? [`${word.at(-1)}${after}`] : [])];
}

type Phrasing = { start: number; end: number; concept?: FactConcept; topic?: PolicyTopic };

/**
 * Where each phrasing of a kind of fact or of a policy topic stands in a normalised question, every
 * match; a phrasing inside a longer one is part of it ("price" of "price goes down" is the price
 * protection's, not a question for the price).
 */
function phrasingSpans(text: string): Phrasing[] {
  const phrasings: Phrasing[] = [];
  const find = (patterns: readonly RegExp[], found: { concept: FactConcept } | { topic: PolicyTopic }) => {
    for (const pattern of patterns) {
      for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`))) {
        if (match[0].length > 0) phrasings.push({ start: match.index, end: match.index + match[0].length, ...found });
      }
    }
  };
  for (const { concept } of findConcepts(text)) find(concept.values ? [...concept.ask, concept.values] : concept.ask, { concept });
  for (const { topic } of findPolicyTopics(text)) find(topic.ask, { topic });
  const inside = (inner: Phrasing, outer: Phrasing) => outer.start <= inner.start && inner.end <= outer.end && outer.end - outer.start > inner.end - inner.start;
  return phrasings.filter((phrasing) => !phrasings.some((other) => inside(phrasing, other)));
}

/**
 * Words that frame a question rather than say what it is about, beside the lexicon's question words:
 * the shopper's pointers and hedges ("my", "around", "大概"), contractions written without an
 * apostrophe ("whats", "im"), and joining words.
 */
const FRAME_WORDS = new Set(
  (
    "whats hows whos thats its im ive id dont doesnt cant wont isnt arent mine our ours yours " +
    "around about roughly approximately approx exactly specifically maybe probably still even ever already instead also just really available " +
    "because since then else though although while " +
    "我家 我们 我的 你们 你家 自己 大概 大约 左右 差不多 具体 一般 平时 现在 已经 时候 还是 或者 但是 因为 所以 如果 的话 那么 直接 合适"
  ).split(" "),
);

/**
 * A Han noun with its suffix 子 or 儿 whose root ends a word of the product's own name: "毯子" on
 * the 羊毛盖毯's page, "杯子" on the 保温杯's. The shopper names the product, in words its name does
 * not spell. Not a part it names ("篮子" on the 双篮空气炸锅's), nor a word of its category (电子 on
 * a 厨房小电 page).
 */
function namesOwnThing(word: string, name: string): boolean {
  const match = /^(\p{Script=Han})[子儿]$/u.exec(word);
  if (!match) return false;
  const heads = name.match(/\p{Script=Han}+/gu)?.map((run) => run.at(-1)) ?? [];
  return heads.includes(match[1]!);
}

/**
 * An amount counted in a Chinese numeral and its measure word ("一次", "一套", "两个"): how much
 * of something, never what: the quantities weigh it (like an amount in digits).
 */
const COUNTED = /^[一二两三四五六七八九十几每半][个次套只件把台双对张条块片包袋瓶盒杯份口遍天年月周]$/u;

/**
 * A frame word: a question word, one of FRAME_WORDS, a Han word made only of function characters
 * and question words ("能用", "没有"), or an amount the shopper states ("120", "110kg", "1.83m"): a
 * measurement is weighed against the answer's by the quantities, not looked for in its words.
 */
function isFrameWord(word: string): boolean {
  return FRAME_WORDS.has(word) || /^\d/.test(word) || COUNTED.test(word) || isQuestionWord(word);
}

function isQuestionWord(word: string): boolean {
  return QUESTION_WORDS.has(word) || isFunctionWord(word);
}

/** A Han word made only of function characters and question words ("能用", "没有", "吗"). */
function isFunctionWord(word: string): boolean {
  return /\p{Script=Han}/u.test(word) && [...word].every((character) => FUNCTION_CHARACTERS.has(character) || QUESTION_WORDS.has(character));
}

/**
 * Share of the focus an answer speaks to; 1 when the question has no focus. A word counts when
 * the answer uses it, or when it is part of the phrasing of a kind of fact the answer gives (a fact
 * of that kind: its field, attribute name or unit; or text naming it: "分贝" by a noise figure in
 * dB) or of a policy topic the answer names. The price does not speak to "price goes down… the
 * difference back", nor the size to "多少分贝", nor the product's blurb to "moisture".
 */
export function focusCoverage(focus: readonly FocusWord[], answer: AnswerContent): number {
  if (focus.length === 0) return 1;
  const text = normalizeText(answer.text);
  const vocabulary = new Set(vocabularyTerms(text));
  const gives = (concept: FactConcept) =>
    answer.facts.some((fact) => concept.kinds?.includes(fact.kind) || concept.names.test(fact.label) || fact.quantities.some((quantity) => concept.units?.includes(quantity.dimension))) ||
    concept.names.test(text) ||
    concept.ask.some((pattern) => pattern.test(text));
  const names = (topic: PolicyTopic) => topic.names.test(text) || topic.ask.some((pattern) => pattern.test(text));
  const covered = focus.filter((word) => isKnown(word.terms, vocabulary) || word.concepts.some(gives) || word.topics.some(names));
  return covered.length / focus.length;
}
