import { hasTraditional, toSimplified } from "./simplify.ts";

/**
 * Word segmentation for zh and en with Intl.Segmenter (ICU's dictionary segmenter for Chinese,
 * Unicode word rules for everything else), so Chinese needs no dictionary package.
 */
const wordSegmenter = new Intl.Segmenter("zh", { granularity: "word" });
const sentenceSegmenter = new Intl.Segmenter("zh", { granularity: "sentence" });

const HAN = /\p{Script=Han}/u;
const HAN_GLOBAL = /\p{Script=Han}/gu;
const LETTER_GLOBAL = /\p{L}/gu;

/** Normalise width and case so "ＧＰＳ" and "gps" are the same word. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/**
 * Texts whose words are remembered: a bot turn segments the same passages, product facts and
 * questions again and again (ICU's segmenter is most of a turn's CPU), so the most recent are kept.
 */
const REMEMBERED_TEXTS = 8_192;
const remembered = new Map<string, readonly string[]>();

/** The word-like segments of a text, normalised (shared: never to be changed by the caller). */
export function segmentWords(text: string): readonly string[] {
  const known = remembered.get(text);
  if (known) return known;
  const words: string[] = [];
  for (const segment of wordSegmenter.segment(normalizeText(text))) {
    if (segment.isWordLike) words.push(segment.segment);
  }
  Object.freeze(words);
  if (remembered.size >= REMEMBERED_TEXTS) remembered.delete(remembered.keys().next().value!);
  remembered.set(text, words);
  return words;
}

export function segmentSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const { segment } of sentenceSegmenter.segment(text)) {
    const trimmed = segment.trim();
    if (trimmed) sentences.push(trimmed);
  }
  return sentences;
}

export function isHan(word: string): boolean {
  return HAN.test(word);
}

/** "zh" when Han characters make up a fifth or more of the letters, "en" otherwise. */
export function detectLanguage(text: string): "zh" | "en" {
  const letters = text.match(LETTER_GLOBAL)?.length ?? 0;
  const han = text.match(HAN_GLOBAL)?.length ?? 0;
  return letters > 0 && han / letters >= 0.2 ? "zh" : "en";
}

/** The language to answer in: the text's own, unless it has no letters to tell by (then the page's, else English). */
export function languageOf(text: string, fallback: "zh" | "en" | null): "zh" | "en" {
  return /\p{L}/u.test(text) ? detectLanguage(text) : (fallback ?? "en");
}

const STOPWORDS = new Set(
  (
    "a an the and or but if of to in on at by for with from as is are was were be been being it its this that these those " +
    "i me my we our you your he she they them their do does did doing have has had can could will would should may might " +
    "what which who whom how when where why there here not no yes so than too very just about any some all also into out up " +
    "的 了 吗 呢 吧 啊 是 在 有 和 与 或 也 都 就 还 我 你 您 他 她 它 我们 你们 这 那 这个 那个 什么 怎么 如何 请问 请 一下 可以 可 能 会 要 想 个 么"
  ).split(" "),
);

/**
 * Terms for lexical search: words, plus the character bigrams of every run of Han characters,
 * the standard remedy for Chinese segmentation that differs between a query and a passage.
 * Traditional characters are folded to simplified (each word, and each run whole so that a
 * phrase spanning words converts), so either script finds the other.
 */
export function lexicalTerms(words: readonly string[]): string[] {
  return termsOf(words, words.some(hasTraditional));
}

function termsOf(words: readonly string[], fold: boolean): string[] {
  const terms: string[] = [];
  let run = "";
  const flushRun = () => {
    const characters = [...(fold ? simplified(run) : run)];
    for (let index = 0; index + 1 < characters.length; index += 1) terms.push(characters[index]! + characters[index + 1]!);
    run = "";
  };
  for (const word of words) {
    terms.push(fold ? simplified(word) : word);
    if (isHan(word)) run += word;
    else flushRun();
  }
  flushRun();
  return terms;
}

/** Folded to simplified and normalised again (OpenCC's 隨身碟 → U盘 brings a capital). */
function simplified(text: string): string {
  return normalizeText(toSimplified(text));
}

/**
 * Terms a lexical search looks for: lexicalTerms over all the words, so each run of Han characters
 * gives its bigrams whole (dropping the particle 吧 first would lose 吧台 and invent 制台 in
 * 木制吧台), less the terms that are stopwords themselves; a text of stopwords only keeps them all.
 * A question in traditional characters also searches its simplified text, segmented anew, and
 * its own unfolded terms (passages indexed before folding existed hold those). Each term once.
 */
export function searchTerms(text: string): string[] {
  const words = segmentWords(text);
  const traditional = hasTraditional(text);
  const terms = new Set(traditional ? [...lexicalTerms(segmentWords(toSimplified(text))), ...lexicalTerms(words), ...termsOf(words, false)] : lexicalTerms(words));
  const meaningful = [...terms].filter((term) => !STOPWORDS.has(traditional ? simplified(term) : term));
  return meaningful.length > 0 ? meaningful : [...terms];
}

/** Words that carry meaning: not stopwords, not lone punctuation. */
export function contentWords(text: string): string[] {
  return segmentWords(text).filter((word) => !STOPWORDS.has(word));
}

/** contentWords of a text with where each stands in the normalised text (normalizeText). */
export function contentWordSpans(text: string): { word: string; start: number; end: number }[] {
  const spans: { word: string; start: number; end: number }[] = [];
  for (const segment of wordSegmenter.segment(normalizeText(text))) {
    if (segment.isWordLike && !STOPWORDS.has(segment.segment)) spans.push({ word: segment.segment, start: segment.index, end: segment.index + segment.segment.length });
  }
  return spans;
}
