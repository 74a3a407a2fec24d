import type { QuestionGroup } from "../../../src/knowledge/group-questions.ts";
import type { DocumentInfo, IngestReport, KnowledgeVersion } from "../../../src/knowledge/knowledge-store.ts";
import type { RegressionReport } from "../../../src/knowledge/regression-check.ts";
import type { KnowledgeProblem, SourceDocument } from "../../../src/knowledge/source-document.ts";
import type { Draft, GoldenEntry } from "../../../src/knowledge/curation-store.ts";
import type { RecommendationReport } from "../../../src/shopping/recommendation-store.ts";
import { ApiError, request } from "./api.ts";

export type { DocumentInfo, Draft, GoldenEntry, IngestReport, KnowledgeProblem, KnowledgeVersion, QuestionGroup, RecommendationReport, RegressionReport, SourceDocument };

const BASE = "/api/admin/knowledge";

/** A FAQ page or a product as the admin API takes them (src/knowledge/knowledge-admin.ts, adminDocument). */
export type FaqInput = { type: "faq"; id: string; title: string; lang: "en" | "zh"; category: string; url: string | null; entries: { question: string; answer: string }[] };
export type ProductInput = {
  type: "product";
  sku: string;
  lang: "en" | "zh";
  name: string;
  category: string;
  price: number;
  currency: string;
  launchDate: string;
  attributes: Record<string, string>;
  description: string;
  url: string | null;
};
export type FileInput = { type: "file"; filename: string; content: string };
export type DocumentInput = FaqInput | ProductInput | FileInput;
export type Changes = { documents: DocumentInput[]; delete?: string[] };

/** What a publish did: the new version's report, or a refusal by the regression check (HTTP 409). */
export type PublishResult = { published: boolean; report: IngestReport | null; check: RegressionReport | null };

export const knowledgeApi = {
  /** Product cards the shopping assistant showed and shoppers opened, per product. */
  recommendations: async (lang: "en" | "zh") => (await request<{ products: RecommendationReport[] }>("GET", `/api/admin/recommendations?lang=${lang}`)).products,
  documents: (search: string) =>
    request<{ version: number; documents: DocumentInfo[] }>("GET", `${BASE}/documents${search.trim() ? `?search=${encodeURIComponent(search.trim())}` : ""}`),
  document: async (id: string) => (await request<{ document: SourceDocument }>("GET", `${BASE}/documents/${encodeURIComponent(id)}`)).document,
  remove: (id: string) => request<PublishResult>("DELETE", `${BASE}/documents/${encodeURIComponent(id)}`),
  publish: (changes: Changes, force = false) => request<PublishResult>("POST", `${BASE}/changes`, { ...changes, force }, { accept: [409] }),
  check: async (changes: Changes) => (await request<{ check: RegressionReport }>("POST", `${BASE}/check`, changes)).check,
  upload: (filename: string, content: string, force = false) =>
    request<PublishResult>("POST", `${BASE}/upload?filename=${encodeURIComponent(filename)}${force ? "&force=true" : ""}`, undefined, { text: content, accept: [409] }),
  /** Files in the knowledge folder the last sync rejected (the rest of the folder is served). */
  folderProblems: async () => (await request<{ problems: KnowledgeProblem[] }>("GET", `${BASE}/problems`)).problems,
  versions: () => request<{ current: number; versions: KnowledgeVersion[] }>("GET", `${BASE}/versions`),
  rollback: async (version: number) => (await request<{ report: IngestReport }>("POST", `${BASE}/versions/${version}/rollback`)).report,
  gaps: async () => (await request<{ groups: QuestionGroup[] }>("GET", `${BASE}/gaps`)).groups,
  drafts: async () => (await request<{ drafts: Draft[] }>("GET", `${BASE}/drafts?status=draft`)).drafts,
  updateDraft: async (id: string, changes: { question?: string; answer?: string }) => (await request<{ draft: Draft }>("PUT", `${BASE}/drafts/${encodeURIComponent(id)}`, changes)).draft,
  publishDraft: (id: string) => request<{ draft: Draft; report: IngestReport }>("POST", `${BASE}/drafts/${encodeURIComponent(id)}/publish`),
  dismissDraft: async (id: string) => (await request<{ draft: Draft }>("POST", `${BASE}/drafts/${encodeURIComponent(id)}/dismiss`)).draft,
  golden: async () => (await request<{ questions: GoldenEntry[] }>("GET", `${BASE}/golden`)).questions,
  saveGolden: async (questions: { question: string; productId: string | null }[]) => (await request<{ questions: GoldenEntry[] }>("PUT", `${BASE}/golden`, { questions })).questions,
};

/** The file/line problems of a refused update (KNOWLEDGE_INVALID), or null for any other failure. */
export function problemsOf(error: unknown): KnowledgeProblem[] | null {
  if (!(error instanceof ApiError) || error.code !== "KNOWLEDGE_INVALID") return null;
  const problems = error.details?.problems;
  return Array.isArray(problems) ? (problems as KnowledgeProblem[]) : [];
}

export function problemText(problem: KnowledgeProblem): string {
  return `${problem.file}${problem.line ? `:${problem.line}` : ""}: ${problem.message}`;
}

// ---- editing documents as the admin API takes them -------------------------------------------

/** "faq:<id>:<lang>" → a FAQ page as entries (every section is a question and its answer). */
export function faqFromDocument(document: SourceDocument): FaqInput | null {
  const match = /^faq:([\w.-]+):(en|zh)$/.exec(document.id);
  if (!match || document.productId !== null) return null;
  return {
    type: "faq",
    id: match[1]!,
    title: document.title,
    lang: match[2] as "en" | "zh",
    category: document.kind,
    url: document.url,
    entries: document.sections.map((section) => ({ question: section.title, answer: section.text })),
  };
}

const LABELS = {
  en: { category: "Category", price: "Price", launched: "Launch date", specs: "Specifications" },
  zh: { category: "类别", price: "价格", launched: "上市日期", specs: "规格参数" },
} as const;

/** The server's productToDocument (src/knowledge/read-catalog.ts), to check a reconstruction is exact. */
export function productSections(product: ProductInput): { title: string; text: string }[] {
  const labels = LABELS[product.lang];
  const separator = product.lang === "zh" ? "：" : ": ";
  const price = `${product.currency === "CNY" ? "¥" : `${product.currency} `}${product.price}`;
  const sections = [
    {
      title: product.name,
      text: [product.name, `${labels.category}${separator}${product.category}`, `${labels.price}${separator}${price}`, `${labels.launched}${separator}${product.launchDate}`].join(
        product.lang === "zh" ? "。" : ". ",
      ),
    },
  ];
  const attributes = Object.entries(product.attributes);
  if (attributes.length > 0) {
    sections.push({ title: `${product.name} · ${labels.specs}`, text: attributes.map(([key, value]) => `${key}${separator}${value}`).join(product.lang === "zh" ? "；" : "; ") });
  }
  if (product.description.trim()) sections.push({ title: product.name, text: product.description.trim() });
  return sections;
}

/**
 * The product fields behind a product document, read back from its sections. Returns null unless
 * rendering them again gives exactly the same document, so an edit never loses anything silently.
 */
export function productFromDocument(document: SourceDocument): ProductInput | null {
  if (document.kind !== "product" || !document.productId || (document.lang !== "en" && document.lang !== "zh")) return null;
  const lang = document.lang;
  const labels = LABELS[lang];
  const separator = lang === "zh" ? "：" : ": ";
  const [head, ...rest] = document.sections;
  if (!head) return null;
  const parts = head.text.split(lang === "zh" ? "。" : ". ");
  if (parts.length < 4) return null;
  const [categoryPart, pricePart, launchedPart] = parts.slice(-3) as [string, string, string];
  const name = parts.slice(0, -3).join(lang === "zh" ? "。" : ". ");
  const field = (part: string, label: string) => (part.startsWith(label + separator) ? part.slice(label.length + separator.length) : null);
  const category = field(categoryPart, labels.category);
  const priceText = field(pricePart, labels.price);
  const launchDate = field(launchedPart, labels.launched);
  if (category === null || priceText === null || launchDate === null) return null;
  const priceMatch = /^(?:¥|([A-Z]{3}) )(\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/.exec(priceText);
  if (!priceMatch) return null;
  const attributes: Record<string, string> = {};
  let description = "";
  for (const section of rest) {
    if (section.title === `${name} · ${labels.specs}`) {
      for (const pair of section.text.split(lang === "zh" ? "；" : "; ")) {
        const at = pair.indexOf(separator);
        if (at <= 0) return null;
        attributes[pair.slice(0, at)] = pair.slice(at + separator.length);
      }
    } else if (section.title === name && !description) {
      description = section.text;
    } else {
      return null;
    }
  }
  const product: ProductInput = {
    type: "product",
    sku: document.productId,
    lang,
    name,
    category,
    price: Number(priceMatch[2]),
    currency: priceMatch[1] ?? "CNY",
    launchDate,
    attributes,
    description,
    url: document.url,
  };
  return JSON.stringify(productSections(product)) === JSON.stringify(document.sections) && document.title === name ? product : null;
}
