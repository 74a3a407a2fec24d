import { toSimplified } from "./simplify.ts";

/**
 * The reviewed lexicon of written Cantonese words and their Mandarin equivalents, so that a shopper
 * typing "飯煲有冇5升嘅大號" is read as "电饭煲有没有5升的大号" by lexicons written in Mandarin.
 * Only applied to a text holding a character or word that written Mandarin does not use (冇, 嘅,
 * 唔, 係咪, 呢個…): 係 or 點 alone are ordinary characters of traditional Mandarin text.
 */
const CANTONESE_ONLY = /[冇嘅唔咩佢喺啲咗嚟嗰啱攞嘢睇諗咁乜]|係咪|呢[個隻款件]|點解|邊[個度隻]/;

/** Longest first where one holds another (有冇 before 冇). */
const CANTONESE_WORDS: readonly (readonly [string, string])[] = [
  ["有冇", "有没有"], ["係咪", "是不是"], ["得唔得", "行不行"], ["使唔使", "要不要"], ["會唔會", "会不会"], ["可唔可以", "可不可以"],
  ["乜嘢", "什么"], ["咩嘢", "什么"], ["點樣", "怎样"], ["點解", "为什么"], ["幾多", "多少"], ["邊個", "哪个"], ["邊度", "哪里"], ["邊隻", "哪款"],
  ["呢個", "这个"], ["呢款", "这款"], ["呢隻", "这款"], ["嗰個", "那个"], ["屋企", "家里"], ["飯煲", "电饭煲"], ["冇", "没有"], ["嘅", "的"],
  ["唔", "不"], ["咩", "什么"], ["佢哋", "他们"], ["佢", "它"], ["喺", "在"], ["啲", "些"], ["咗", "了"], ["嚟", "来"], ["係", "是"],
  ["攞", "拿"], ["睇", "看"], ["諗", "想"], ["啱", "合适"], ["咁", "这么"], ["俾", "给"], ["畀", "给"],
];

/**
 * A shopper's Chinese in the words the lexicons are written in: written Cantonese folded to
 * Mandarin, then traditional characters to simplified with the mainland's wording (toSimplified).
 * A text in simplified Mandarin is returned as it is.
 */
export function readAsMandarin(text: string): string {
  let mandarin = text;
  if (CANTONESE_ONLY.test(text)) for (const [cantonese, standard] of CANTONESE_WORDS) mandarin = mandarin.replaceAll(cantonese, standard);
  return toSimplified(mandarin);
}
