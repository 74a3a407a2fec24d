import type { z } from "zod";
import type { KnowledgeProblem } from "./source-document.ts";

/** Parse JSON Lines against a schema: every value that fits, and every line that does not, named by file and line. */
export function parseJsonLines<S extends z.ZodType>(file: string, content: string, schema: S): { values: z.output<S>[]; problems: KnowledgeProblem[] } {
  const values: z.output<S>[] = [];
  const problems: KnowledgeProblem[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push({ file, line: index + 1, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) values.push(parsed.data);
    else problems.push({ file, line: index + 1, message: describeIssues(parsed.error) });
  });
  return { values, problems };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`).join("; ");
}
