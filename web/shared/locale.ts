/** The two languages the widget and the demo speak. */
export type Locale = "zh" | "en";

/**
 * The first candidate that names a language we speak ("zh-CN", "zh-Hant", "en-GB", …), else English.
 * Candidates come in order of authority: an explicit choice, the page's lang, the browser's.
 */
export function pickLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    const tag = candidate?.trim().toLowerCase();
    if (!tag) continue;
    if (tag === "zh" || tag.startsWith("zh-")) return "zh";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return "en";
}
