import type { Lang } from "./i18n.ts";

/** A waiting time that ticks: 0:42, 12:05, 1:03:20. */
export function elapsed(since: string | null, now: number): string {
  if (!since) return "";
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (value: number) => String(value).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function format(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(options);
  let formatter = timeFormats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", options);
    timeFormats.set(key, formatter);
  }
  return formatter;
}

/** 14:05 today, or "3 Mar 14:05" / "3月3日 14:05" on another day. */
export function clock(at: string | null, lang: Lang, now: number = Date.now()): string {
  if (!at) return "";
  const date = new Date(at);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay
    ? format(lang, { hour: "2-digit", minute: "2-digit" }).format(date)
    : format(lang, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(date);
}

/** How long ago, compactly: now, 5m, 3h, 2d. */
export function ago(at: string | null, now: number, lang: Lang): string {
  if (!at) return "";
  const seconds = Math.max(0, (now - Date.parse(at)) / 1000);
  if (seconds < 45) return lang === "zh" ? "刚刚" : "now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return lang === "zh" ? `${minutes}分钟` : `${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return lang === "zh" ? `${hours}小时` : `${hours}h`;
  const days = Math.round(hours / 24);
  return lang === "zh" ? `${days}天` : `${days}d`;
}

export function percent(value: number): string {
  return `${Math.round(value * 100)}`;
}

/** A random id for idempotent sends; crypto.randomUUID exists only in secure contexts. */
export function randomId(): string {
  if (typeof crypto.randomUUID === "function" && isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
