import { en } from "./messages/en.ts";
import { zh } from "./messages/zh.ts";

/** The dashboard's two languages. Keys are English-ish ids; {name} placeholders are filled by t(). */
export type Lang = "en" | "zh";

export type MessageKey = keyof typeof en;

const tables: Record<Lang, Record<MessageKey, string>> = { en, zh };

export function detectLang(): Lang {
  const saved = localStorage.getItem("kefu.lang");
  if (saved === "en" || saved === "zh") return saved;
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const HAN = /[\u3400-\u9fff]/;
const LATIN = /[A-Za-z0-9]/;

export function translator(lang: Lang): Translate {
  const table = tables[lang];
  return (key, vars) => {
    const text = table[key] ?? en[key] ?? key;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string, offset: number) => {
      if (!(name in vars)) return whole;
      let value = String(vars[name]);
      // Chinese typesetting: a space between Han characters and a Latin name or number.
      if (lang === "zh") {
        if (HAN.test(text[offset - 1] ?? "") && LATIN.test(value[0] ?? "")) value = ` ${value}`;
        if (HAN.test(text[offset + whole.length] ?? "") && LATIN.test(value.at(-1) ?? "")) value = `${value} `;
      }
      return value;
    });
  };
}

/** A label for a hand-off or state-change reason; unknown reasons are shown as they are. */
export function reasonLabel(t: Translate, reason: string | null | undefined): string {
  if (!reason) return "";
  const key = `reason.${reason}` as MessageKey;
  return key in en ? t(key) : reason;
}

export function partLabel(t: Translate, part: string): string {
  const key = `part.${part}` as MessageKey;
  return key in en ? t(key) : part;
}
