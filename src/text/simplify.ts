import { Converter, Locale } from "opencc-js/t2cn";

/**
 * Traditional Chinese folded to simplified with OpenCC's dictionaries (the opencc-js package,
 * offline), so that a shopper typing 電競鍵盤 finds the catalog's 电竞键盘 and a catalog written in
 * traditional characters is found by simplified questions. Taiwan's own words become the mainland's
 * (滑鼠 → 鼠标, 軟體 → 软件), as a catalog in simplified characters writes them.
 */

/**
 * The characters OpenCC's traditional → simplified dictionaries change: their presence marks
 * traditional text. Only those (not Taiwan's variant table, which also lists simplified characters
 * such as 吃 and 才), so that simplified text is never rephrased.
 */
const TRADITIONAL = new Set<string>();
for (const dictionary of Locale.to.cn!.flat()) {
  const entries = typeof dictionary === "string" ? dictionary.split("|").map((entry) => entry.split(" ")) : dictionary;
  for (const [source, target] of entries) if (source && [...source].length === 1 && source !== target) TRADITIONAL.add(source);
}

/** Built on first use (about 0.1 s): most stores and questions never need it. */
let convert: ((text: string) => string) | undefined;

export function hasTraditional(text: string): boolean {
  for (const character of text) if (TRADITIONAL.has(character)) return true;
  return false;
}

/** The text in simplified characters and mainland wording; a text without traditional characters is returned as it is. */
export function toSimplified(text: string): string {
  if (!hasTraditional(text)) return text;
  const converter = (convert ??= Converter({ from: "twp", to: "cn" }));
  return converter(text);
}
