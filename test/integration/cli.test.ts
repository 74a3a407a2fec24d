import { appendFile, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../support/run-script.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURE_KNOWLEDGE = join(ROOT, "test/fixtures/knowledge");
const FIXTURE_SET = join(ROOT, "test/fixtures/eval-set");

const temporary: string[] = [];
async function makeTempDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "kefu-cli-test-"));
  temporary.push(directory);
  return directory;
}
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

describe("kefu command line", () => {
  it("prints usage for --help and for an unknown command", async () => {
    const help = await runCli(["--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: kefu <command>");
    const unknown = await runCli(["frobnicate"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown command: frobnicate");
  });

  it("evaluates a case set and prints its metrics as JSON on the last line", async () => {
    // TMPDIR keeps the index cache of this run inside a folder the test removes.
    const cache = await makeTempDir();
    const run = await runCli(["eval", FIXTURE_SET, "--json"], { TMPDIR: cache });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    for (const key of ["recallAt1", "recallAt5", "recallAt10", "mrrAt10", "questions", "retrievalP50Ms", "retrievalP99Ms", "citedRelevant", "mode", "retriever", "set", "passages", "knowledgeVersion"]) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary).toMatchObject({ set: "eval-set", mode: "page", retriever: "hybrid", passages: 10, totalQuestions: 6, questions: 5, recallAt10: 1 });
    expect(run.stderr).toContain("building the index");

    // A second run reuses the index it built, here in site mode with lexical retrieval only.
    const again = await runCli(["eval", FIXTURE_SET, "--json", "--mode", "site", "--retriever", "lexical"], { TMPDIR: cache });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("reusing the index");
    expect(JSON.parse(again.stdout.trim().split("\n").at(-1)!)).toMatchObject({ mode: "site", retriever: "lexical", knowledgeVersion: summary.knowledgeVersion });
  });

  it("refuses a bad flag value with usage and exit code 2", async () => {
    const run = await runCli(["eval", FIXTURE_SET, "--mode", "everywhere"], { TMPDIR: await makeTempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--mode must be one of page, site");
  });

  it("ingests the knowledge folder and reports what changed", async () => {
    const env = { DATA_DIR: join(await makeTempDir(), "data"), KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE };
    const first = await runCli(["ingest"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/added 6, updated 0, removed 0, unchanged 0/);
    expect(first.stdout).toMatch(/passages \d+, knowledge version 1/);
    const second = await runCli(["ingest"], env);
    expect(second.stdout).toMatch(/added 0, updated 0, removed 0, unchanged 6/);
    expect(second.stdout).toContain("knowledge version 1");
  });

  it("exits 1 and names file and line when a knowledge file is broken", async () => {
    const root = await makeTempDir();
    const knowledge = join(root, "knowledge");
    await cp(FIXTURE_KNOWLEDGE, knowledge, { recursive: true });
    await appendFile(join(knowledge, "catalog.jsonl"), "not json\n");
    const run = await runCli(["ingest", "--dir", knowledge], { DATA_DIR: join(root, "data") });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}catalog\.jsonl:5: not valid JSON/m);
    expect(run.stdout).toContain("1 file(s) rejected");
  });
});

describe("kefu agent", () => {
  it("creates an agent whose password then logs in to the server", async () => {
    const dataDir = await makeTempDir();
    const created = await runCli(["agent", "add", "li@pinebrook.test", "--admin", "--name", "Li Wei"], { DATA_DIR: dataDir, KEFU_AGENT_PASSWORD: "a long enough password" });
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining("created admin li@pinebrook.test (Li Wei)") });
    const duplicate = await runCli(["agent", "add", "li@pinebrook.test"], { DATA_DIR: dataDir, KEFU_AGENT_PASSWORD: "a long enough password" });
    expect(duplicate).toMatchObject({ code: 1, stderr: expect.stringContaining("already exists") });
    const weak = await runCli(["agent", "add", "mei@pinebrook.test"], { DATA_DIR: dataDir, KEFU_AGENT_PASSWORD: "short" });
    expect(weak).toMatchObject({ code: 1, stderr: expect.stringContaining("at least 10 characters") });
    expect((await runCli(["agent", "list"], { DATA_DIR: dataDir })).stdout).toBe("li@pinebrook.test\tLi Wei\tadmin\n");

    const { startTestApp } = await import("../support/start-test-app.ts");
    const { logIn } = await import("../support/agent-client.ts");
    const server = await startTestApp({ dataDir });
    try {
      expect((await logIn(server.url, "li@pinebrook.test", "a long enough password")).status).toBe(200);

      // Disable, enable and set a password, while the server runs.
      const env = { DATA_DIR: dataDir, KEFU_AGENT_PASSWORD: "mei's first password" };
      expect((await runCli(["agent", "add", "mei@pinebrook.test"], env)).code).toBe(0);
      const meiSession = await logIn(server.url, "mei@pinebrook.test", "mei's first password");
      expect((await runCli(["agent", "disable", "li@pinebrook.test"], env)).stderr).toContain("last enabled admin");
      expect(await runCli(["agent", "disable", "mei@pinebrook.test"], env)).toMatchObject({ code: 0, stdout: "disabled mei@pinebrook.test\n" });
      expect((await runCli(["agent", "list"], env)).stdout).toContain("mei@pinebrook.test\tmei\tagent\tdisabled");
      expect((await fetch(`${server.url}/api/agent/me`, { headers: { authorization: `Bearer ${meiSession.token}` } })).status).toBe(401);
      expect(await logIn(server.url, "mei@pinebrook.test", "mei's first password")).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
      expect((await runCli(["agent", "enable", "mei@pinebrook.test"], env)).code).toBe(0);
      expect((await logIn(server.url, "mei@pinebrook.test", "mei's first password")).status).toBe(200);
      expect((await runCli(["agent", "password", "mei@pinebrook.test"], { ...env, KEFU_AGENT_PASSWORD: "mei's second password" })).code).toBe(0);
      expect((await logIn(server.url, "mei@pinebrook.test", "mei's first password")).status).toBe(401);
      expect((await logIn(server.url, "mei@pinebrook.test", "mei's second password")).status).toBe(200);
      expect((await runCli(["agent", "disable", "nobody@pinebrook.test"], env)).stderr).toContain("NOT_FOUND");
    } finally {
      await server.close();
    }
  }, 120_000);
});
