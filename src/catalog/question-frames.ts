import { contentWords, normalizeText } from "../text/segment.ts";
import { ACTION_FRAME, BOX_FRAMES, COMPARISON_FRAMES, FACT_CONCEPTS, FEATURE_FRAMES, QUESTION_WORDS, ROLE_FRAMES } from "./fact-lexicon.ts";
import { findConcepts, isYesNoQuestion, POINTERS, vocabularyTerms } from "./match-facts.ts";
import { POLICY_TOPICS } from "./policy-lexicon.ts";

/*
 * What a question casts the product in, asks it to do, to come with or to be compared with: the
 * things a page must name before it can say yes or no to them.
 */

/**
 * What a yes/no question casts in a role for the product ("solar panel" of "can I charge it with a
 * solar panel?", "电动车" of "能给电动车充电吗") or asks it to have ("称重" of "带称重功能吗"); none for
 * other questions. A feature asked in a phrasing of a kind of fact the lexicon knows ("有保修吗")
 * is left to that fact.
 */
export function roleObjects(question: string): string[] {
  if (!isYesNoQuestion(question)) return [];
  const text = normalizeText(question);
  const objects: string[] = [];
  for (const frame of ROLE_FRAMES) {
    // A count before the thing names nothing of it ("一层保暖" of "当一层保暖": 保暖).
    const object = frame.exec(text)?.[1]?.trim().replace(/^[一两二三几][个层只台件把块片张条套]/u, "");
    if (object && !POINTERS.has(object)) objects.push(object);
  }
  for (const frame of FEATURE_FRAMES) {
    // The feature's own words: "window" of "a window to see the food"; of a Chinese one, what is
    // left beside a phrasing of a kind of fact ("关灯" of "定时关灯": 定时 is the timer's).
    const found = frame.exec(text)?.[1]?.split(FEATURE_END)[0]?.trim();
    if (!found || POINTERS.has(found) || askedAsFact(found, text)) continue;
    const object = /\p{Script=Han}/u.test(found) ? withoutFactPhrasings(found) : found;
    if (object) objects.push(object);
  }
  return objects;
}

/**
 * What a yes/no question asking no kind of fact asks the product to do ("mop" of "does it mop floors
 * too"); null for other questions, and for the verbs that ask what it has or comes with (FEATURE_FRAMES).
 */
export function askedAction(question: string): string | null {
  const text = normalizeText(question);
  const action = ACTION_FRAME.exec(text)?.[1];
  if (!action || POINTERS.has(action) || QUESTION_WORDS.has(action) || HAVING.has(action) || findConcepts(text).length > 0 || askedAsFact(action, text)) return null;
  return action;
}

/** Verbs asking what a product has rather than what it does. */
const HAVING = new Set(["have", "has", "got", "support", "supports", "offer", "offers", "feature", "features", "come", "comes", "include", "includes", "contain", "contains"]);

/** What a question asks to come in the box with the product ("a storage bag" of "does it come with a storage bag"). */
export function boxedObjects(question: string): string[] {
  const text = normalizeText(question);
  return BOX_FRAMES.flatMap((frame) => {
    const found = frame.exec(text)?.[1]?.split(FEATURE_END)[0]?.trim();
    return found && !POINTERS.has(found) ? [found] : [];
  });
}

/** What a question compares the product with ("索尼xm5" of "和索尼XM5比哪个降噪更好"); none for other questions. */
export function comparedObjects(question: string): string[] {
  const text = normalizeText(question);
  const objects: string[] = [];
  for (const frame of COMPARISON_FRAMES) {
    // The shopper's own words for it are not its name ("我现在用的小米" → 小米).
    const object = frame.exec(text)?.[1]?.trim().replace(/^(?:我们?|家里)(?:现在|平时|之前|原来|以前)?(?:在用的|用的|有的|买的|的)/, "");
    if (object && !POINTERS.has(object) && !QUESTION_WORDS.has(object) && !/^(?:哪|什么|谁|啥)/.test(object)) objects.push(object);
  }
  return objects;
}

/** A Chinese phrase without the phrasings of kinds of fact in it, e.g. "定时关灯" → "关灯". */
function withoutFactPhrasings(phrase: string): string {
  let rest = phrase;
  for (const concept of FACT_CONCEPTS) for (const pattern of concept.ask) rest = rest.replace(new RegExp(pattern.source, "g"), "");
  return rest.trim();
}

/** Where an English feature's name ends: at a word that starts saying what it is for. */
const FEATURE_END = /\b(?:to|for|so|that|which|with|when|while|if|because|and|or|on|in|at|like|built|included)\b/;

/**
 * A phrase that is part of a phrasing of a kind of fact or of a store policy found in the question
 * ("有效期" of "积分有有效期吗"), or all one such phrasing beyond question words ("保修", "a warranty").
 */
function askedAsFact(phrase: string, question: string): boolean {
  return [...FACT_CONCEPTS, ...POLICY_TOPICS].some((concept) =>
    concept.ask.some((pattern) => {
      if (pattern.exec(question)?.[0].includes(phrase)) return true;
      const match = pattern.exec(phrase);
      if (!match) return false;
      const rest = `${phrase.slice(0, match.index)} ${phrase.slice(match.index + match[0].length)}`;
      return contentWords(rest).every((word) => QUESTION_WORDS.has(word) || POINTERS.has(word) || ANOTHER_OF_KIND.test(word));
    }),
  );
}

/**
 * Words asking for another value of a kind of fact rather than naming a feature: "其他" of
 * "还有其他颜色吗", "lighter" of "is there a lighter colour than black?". The page's fact of that
 * kind answers them (its colours, its sizes).
 */
const ANOTHER_OF_KIND = /^(?:other|another|different|more|than|lighter|darker|brighter|paler|bigger|smaller|larger|其他|其它|别的|另外|其余|更多|浅一点|深一点|浅点|深点|亮一点)$/;

/**
 * Whether a page names a role object: a Chinese one as written, in the page's text (its characters
 * alone say nothing: 音箱 is not 蓝牙), each Latin word of a mixed one in the page's words ("PD快充":
 * "PD" and "快充"); an English one by its words, more than half of them.
 */
export function namesRoleObject(object: string, pageText: string, vocabulary: ReadonlySet<string>): boolean {
  if (/\p{Script=Han}/u.test(object)) {
    const pieces = object.match(/\p{Script=Han}+|[a-z0-9]+/gu) ?? [];
    return pieces.every((piece) => (/\p{Script=Han}/u.test(piece) ? pageText.includes(piece) : vocabularyTerms(piece).every((term) => vocabulary.has(term))));
  }
  const words = contentWords(object).filter((word) => !QUESTION_WORDS.has(word) && !POINTERS.has(word));
  if (words.length === 0) return true;
  const known = words.filter((word) => vocabularyTerms(word).every((term) => vocabulary.has(term))).length;
  return known * 2 > words.length;
}

