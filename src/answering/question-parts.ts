import { QUESTION_WORDS } from "../catalog/fact-lexicon.ts";
import { findConcepts, FUNCTION_CHARACTERS, isYesNoQuestion } from "../catalog/match-facts.ts";
import { readAsMandarin } from "../text/cantonese.ts";
import { contentWords, normalizeText } from "../text/segment.ts";
import type { AnswerPlan } from "./plan-answer.ts";

/**
 * Where one question ends and the next begins in a message: after a question mark or a full stop,
 * and before a word that opens a further question ("另外保修几年", "…, and how long to charge").
 * Commas alone do not part a Chinese message: they join a situation to its question ("我家是电磁炉，能用吗").
 */
const BOUNDARY = /(?<=[?？!！。;；])|(?<=\.)\s+|(?=另外(?![买购配])|还有就是|顺便问|再问一下|再问下)|[,，]?\s+(?=(?:and|also|plus)\s+(?:how|hows|what|whats|which|when|where|does|do|is|are|can|could|will|would|should|has|have)\b)/iu;

/**
 * At most this many questions are answered apart. Each is planned and gated on its own, so a
 * message of hundreds of question marks would cost a search thread hundreds of plans: past this,
 * the message is one question, as it was before messages were parted.
 */
export const MAX_PARTS = 4;

/** A part that asks something itself, rather than tell the shopper's situation ("怕涂层掉了吃进肚子"). */
const ASKS = [
  /[?？]\s*$/u,
  /^(?:(?:and|also|plus|so|but|oh)\s+)?(?:how|what|which|when|where|why|who|whats|hows)\b/i,
  // An interrogative opening a clause after the situation it follows ("our bed is 2 m wide, which
  // size should i get"; not "i know what it is").
  /[,;]\s*(?:(?:so|but|and)\s+)?(?:which|what|how) (?:\w+ ){0,2}(?:should|do|does|can|could|will|would|is|are)\b/i,
  // An amount asked after the situation ("and if it stops working, for how long do you fix it free").
  /[,;]\s*(?:(?:so|but|and)\s+)?(?:for )?how (?:long|much|many|often|far|big|heavy) (?:\w+ ){0,2}(?:do|does|can|could|will|would|is|are|should)\b/i,
  /吗|呢|么|嘛|多少|什么|啥|怎么|怎样|哪|是否|多久|多长|多大|多重|多高|多宽|多厚/u,
  // 几 asks, except in a clause telling what the shopper means to do ("想一次煎两个蛋再加几片培根": a few).
  /^(?!(?:我|我们)?(?:想|打算|准备|计划)(?!问|知道|了解|请教|咨询))[\s\S]*几/u,
  // An alternative question: "蓝牙是 5.0 还是更新的".
  /是(?:[^，。？！,.?!]|\.(?=\d)){1,12}还是/u,
  // Asked as a request to be told ("除甲醛的那个值也说一下", "tell me the weight too").
  /说一下|说说|告诉我|介绍一下|讲一下|讲讲|\b(?:tell|let) me(?: know)?\b/iu,
  // A verb asked as itself and its negation: 送不送, 有没有, 够不够, 可不可以.
  /(\p{Script=Han})[不没]\1/u,
];

/**
 * The questions a shopper's message asks, each with the situation said around it: "砧板有多厚啊？
 * 多久要抹一次油" is two, "我家是电磁炉，能用吗" one. Words that ask nothing themselves go with the
 * question before them ("这锅有涂层吗？怕涂层掉了吃进肚子"), or the one after when none comes before.
 * One part when the message asks one thing, its parts cannot be told apart, or it asks more than
 * MAX_PARTS.
 */
export function questionParts(question: string): string[] {
  const pieces = question.split(BOUNDARY).map((piece) => piece.trim()).filter((piece) => /[\p{L}\p{N}]/u.test(piece));
  const parts: string[] = [];
  let leading = "";
  for (const piece of pieces) {
    // A follow-up naming nothing of its own, nor a kind of fact ("关了呢", "and that?"; not "how big
    // is it?"), asks the question before it again.
    if (parts.length > 0 && !namesAnything(piece) && findConcepts(piece).length === 0) parts[parts.length - 1] = `${parts.at(-1)} ${piece}`;
    else if (asks(piece)) {
      parts.push(leading ? `${leading} ${piece}` : piece);
      leading = "";
    } else if (parts.length > 0) parts[parts.length - 1] = `${parts.at(-1)} ${piece}`;
    else leading = leading ? `${leading} ${piece}` : piece;
  }
  return parts.length > 1 && parts.length <= MAX_PARTS ? parts : [question];
}

/**
 * The clauses of one question that ask, without the shopper's situation around them: "能定时自动关吗"
 * of "孩子写完作业老忘关灯，能定时自动关吗", "is it noisy?" of "is it noisy? im a light sleeper". The
 * whole question when every clause asks or none does.
 */
export function askingClauses(question: string): string {
  // Where each clause ends in the question itself (a comma inside "1,500 ml" ends none).
  const ends = [...question.matchAll(/[,，;；、?？!！。](?!\d)|\.(?=\s)/gu)].map((match) => match.index + 1);
  const clauses = [0, ...ends].map((start, index) => ({ text: question.slice(start, ends[index] ?? question.length), end: ends[index] ?? question.length })).filter((clause) => /[\p{L}\p{N}]/u.test(clause.text));
  // Cut after the last asking clause: a situation told first often names what is asked about
  // ("im about 110kg, will it hold me"); one told after it says why the shopper asks.
  const last = clauses.findLastIndex((clause) => asks(clause.text));
  return last >= 0 && last < clauses.length - 1 ? question.slice(0, clauses[last]!.end).trim() : question;
}

/**
 * A piece with a word that can name a thing: two Han characters or more beyond function characters,
 * in one word or side by side in words the segmenter did not know as one ("锅/铲"); a Latin word
 * of three letters or more; a number.
 */
function namesAnything(piece: string): boolean {
  let run = 0;
  for (const word of contentWords(normalizeText(piece))) {
    if (QUESTION_WORDS.has(word)) {
      run = 0;
      continue;
    }
    if (!/\p{Script=Han}/u.test(word)) {
      if (word.length >= 3 || /\d/.test(word)) return true;
      run = 0;
      continue;
    }
    // A Han word by its characters beyond function characters ("关" of "关了").
    const own = [...word].filter((character) => !FUNCTION_CHARACTERS.has(character) && !QUESTION_WORDS.has(character)).length;
    run = own === 0 ? 0 : run + own;
    if (run >= 2) return true;
  }
  return false;
}

function asks(piece: string): boolean {
  // In traditional characters too ("保幾年", "多長").
  const text = readAsMandarin(normalizeText(piece)).trim();
  return isYesNoQuestion(text) || ASKS.some((pattern) => pattern.test(text));
}

/**
 * One plan answering every part of a message: each part's facts and sentences in order, each
 * once; the signals (and so the gate's evidence) of the weakest part, since an answer to two
 * questions is right only when both of its halves are. A reported problem with an order in any
 * part makes the whole a person's.
 */
export function mergePlans(plans: readonly AnswerPlan[], weakest: AnswerPlan): AnswerPlan {
  if (plans.length === 1) return plans[0]!;
  const facts = plans.flatMap((plan) => plan.facts).filter((entry, index, all) => all.findIndex((other) => other.match.fact === entry.match.fact) === index);
  const sentences = plans.flatMap((plan) => plan.sentences).filter((entry, index, all) => all.findIndex((other) => other.text === entry.text) === index);
  const answered = plans.find((plan) => plan.source !== "none");
  const source = weakest.source === "none" ? "none" : facts.length > 0 ? "fact" : (answered?.source ?? "none");
  return {
    source,
    product: weakest.product,
    facts: source === "none" ? [] : facts,
    sentences: source === "none" ? [] : sentences,
    signals: { ...weakest.signals, orderProblem: plans.some((plan) => plan.signals.orderProblem) },
  };
}
