import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { locale } from "../protocol/chat-payloads.ts";
import { describeIssues } from "./parse-json-lines.ts";
import { linkUrl, type KnowledgeProblem, type Section, type SourceDocument } from "./source-document.ts";

const frontMatter = z.strictObject({
  id: z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, "use letters, digits, '-', '_' or '.'"),
  title: z.string().trim().min(1).max(300),
  lang: locale,
  category: z.string().trim().min(1).max(50).default("faq"),
  url: linkUrl,
  products: z.array(z.string()).optional(),
});

/**
 * A FAQ or policy page: YAML front matter, then Markdown. Each "## " heading starts an entry
 * (usually a question) whose body is its answer; text before the first heading is an entry
 * titled with the page title.
 */
export function readFaqMarkdown(file: string, content: string): { documents: SourceDocument[]; problems: KnowledgeProblem[] } {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(content);
  if (!match) return { documents: [], problems: [{ file, line: 1, message: "missing front matter (a block between --- lines at the top)" }] };
  let meta: unknown;
  try {
    meta = parseYaml(match[1]!);
  } catch (error) {
    return { documents: [], problems: [{ file, line: 1 + ((error as { linePos?: [{ line: number }] }).linePos?.[0]?.line ?? 1), message: `front matter is not valid YAML (${(error as Error).message.split("\n")[0]})` }] };
  }
  const parsed = frontMatter.safeParse(meta);
  if (!parsed.success) return { documents: [], problems: [{ file, line: 1, message: `front matter: ${describeIssues(parsed.error)}` }] };
  const { id, title, lang, category, url } = parsed.data;
  const sections = splitSections(match[2]!, title);
  if (sections.length === 0) return { documents: [], problems: [{ file, line: null, message: "no content after the front matter" }] };
  return {
    documents: [{ id: `faq:${id}:${lang}`, productId: null, lang, kind: category, title, url: url ?? null, sections, source: `file:${file}` }],
    problems: [],
  };
}

function splitSections(markdown: string, pageTitle: string): Section[] {
  const sections: Section[] = [];
  let heading = pageTitle;
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join("\n").trim();
    if (text) sections.push({ title: heading, text: stripMarkdown(text) });
    lines = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    const headingMatch = /^#{1,3}\s+(.+?)\s*#*\s*$/.exec(line);
    if (headingMatch && line.startsWith("## ")) {
      flush();
      heading = headingMatch[1]!;
    } else if (!(headingMatch && line.startsWith("# "))) {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

/** Keep the words, drop the markup that would only add noise to search and quotes. */
function stripMarkdown(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|`)/g, "")
    .replace(/^\s*[-*+]\s+/gm, "• ")
    .replace(/^#{3,6}\s+/gm, "");
}
