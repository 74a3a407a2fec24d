#!/usr/bin/env node
import { writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { loadConfig, redactUrl, type Config } from "./config.ts";
import { AppError, isAppError } from "./errors.ts";
import type { IngestReport } from "./knowledge/knowledge-store.ts";
import type { Logger } from "./logger.ts";
import type { RetrieverOptions } from "./retrieval/retriever.ts";

/**
 * `kefu <command>`: operator tools that use the same modules as the server.
 * Exit codes: 0 done, 1 failed (or an ingested file was rejected), 2 bad usage, 78 bad configuration.
 */
const USAGE = `Usage: kefu <command> [options]

Commands:
  ingest [--dir <folder>] [--server <url>]
                               Ingest the knowledge folder (default KNOWLEDGE_DIR) into DATA_DIR (into
                               Postgres when DATABASE_URL is set: running servers pick the version up)
                               and report what changed. Exits 1 if any file was rejected. With --server,
                               publish it to that running server instead (admin credentials from
                               KEFU_ADMIN_EMAIL and KEFU_ADMIN_PASSWORD); documents removed from the
                               folder since its last ingest are removed there too.
  eval <set-dir> [options]     Measure retrieval and answers on a case set (docs.jsonl + questions.jsonl).
      --mode page|site         page: ask with each question's product page as context (default); site: none
      --retriever hybrid|lexical|dense   default hybrid
      --limit <n>              ask only the first n questions
      --json                   print one JSON object instead of the report
      --records <file>         also write every question's record (JSON Lines), the input of fit-gate
                               A folder with questions.jsonl and no docs.jsonl is asked of KNOWLEDGE_DIR
                               (the product-page set: test/fixtures/store-questions).
                               A folder with shopping.json is a shopping set (test/fixtures/shopping-questions):
                               precision and recall of the recommended products over KNOWLEDGE_DIR's catalog.
  eval --catalog-drafts        Draft FAQ entries from every product of KNOWLEDGE_DIR's catalog (offline) and
                               report how many drafted questions the bot answers right, before and after
                               the drafts are published (--mode page|site as above).
  fit-gate <records>... [--l2 <x>] [--out <file>] [--only <term,term>]
                               Fit the answer/hand-off gate (logistic regression) on eval records,
                               each file weighted equally; writes the weights file (default
                               src/escalation/gate-weights.json) for review. --only fits the
                               named terms and the bias, keeping the shipped weights of the rest.
  agent add <email> [--name <name>] [--admin]
                               Create an agent (or admin) account. The password is read from
                               KEFU_AGENT_PASSWORD, or asked for (hidden) on the terminal, or read
                               from the first line of standard input.
  agent list                   List the accounts.
  migrate                      Bring the Postgres schema of DATABASE_URL up to date and print its
                               version (servers also do this at start; safe while they run).
  agent disable|enable <email> Disable an account (its sessions end, open dashboards close within a
                               minute) or enable it again.
  agent password <email>       Set an account's password (read like agent add's); its sessions end.
  privacy export|delete (--conversation <id> | --email <email>)
                               Export one shopper's data as JSON, or delete it (their conversations
                               with messages, contact details, notes); deletions are logged without
                               the data.
  help                         Show this text.

Settings come from the environment (DATA_DIR, KNOWLEDGE_DIR, EMBEDDER, RETRIEVAL_TOP_K, HNSW_EF, …).`;

const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

type Output = { out: (text: string) => void; err: (text: string) => void };

async function runCli(argv: string[], env: NodeJS.ProcessEnv, output: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    output.out(USAGE);
    return EXIT.ok;
  }
  if (command !== "ingest" && command !== "eval" && command !== "agent" && command !== "fit-gate" && command !== "migrate" && command !== "privacy") {
    output.err(`Unknown command: ${command}\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    if (rest.includes("--help") || rest.includes("-h")) {
      output.out(USAGE);
      return EXIT.ok;
    }
    const config = loadConfig(env);
    if (command === "agent") return await runAgentCommand(rest, config, env, output);
    if (command === "fit-gate") return await runFitGate(rest, output);
    if (command === "migrate") return await runMigrate(config, output);
    if (command === "privacy") return await (await import("./privacy/privacy-cli.ts")).runPrivacyCommand(rest, config, output, usageError);
    return command === "ingest" ? await runIngest(rest, config, output, env) : await runEvalCommand(rest, config, output);
  } catch (error) {
    if (isUsageError(error)) {
      output.err(`${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (isAppError(error, "CONFIG_INVALID")) {
      output.err(error.message);
      return EXIT.config;
    }
    output.err(isAppError(error) ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error));
    return EXIT.failed;
  }
}

async function runAgentCommand(args: string[], config: Config, env: NodeJS.ProcessEnv, output: Output): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { name: { type: "string" }, admin: { type: "boolean", default: false } } });
  const [action, email] = positionals;
  const { openAgentStore } = await import("./storage/open-stores.ts");
  const { AgentAuth } = await import("./agents/agent-auth.ts");
  const { createAgentPayload, resetPasswordPayload } = await import("./protocol/agent-payloads.ts");
  const { parseOrThrow } = await import("./agents/session-token.ts");
  const { store, close } = await openAgentStore(config, createStderrLogger());
  try {
    const auth = new AgentAuth({ store, sessionHours: config.agents.sessionHours });
    if (action === "list") {
      for (const agent of await auth.listAgents()) output.out(`${agent.email}\t${agent.name}\t${agent.role}${agent.disabled ? "\tdisabled" : ""}`);
      return EXIT.ok;
    }
    if ((action === "disable" || action === "enable" || action === "password") && email) {
      const account = await auth.findAgent(email);
      if (!account) throw new AppError("NOT_FOUND", `There is no agent with the email ${email}.`);
      if (action === "password") {
        const password = parseOrThrow(resetPasswordPayload, { newPassword: env.KEFU_AGENT_PASSWORD ?? (await readPassword(output)) }).newPassword;
        await auth.resetPassword(account.id, password);
        output.out(`password changed for ${account.email}; their sessions ended`);
      } else {
        // The command line acts as the operator, not as one of the accounts.
        await auth.setDisabled(account.id, action === "disable", { id: "", email: "", name: "operator", role: "admin" });
        output.out(`${action}d ${account.email}`);
      }
      return EXIT.ok;
    }
    if (action !== "add" || !email) throw usageError("agent needs: add <email> [--name <name>] [--admin], list, disable|enable <email>, or password <email>");
    const password = env.KEFU_AGENT_PASSWORD ?? (await readPassword(output));
    const agent = await auth.createAgent(parseOrThrow(createAgentPayload, { email, name: values.name ?? email.split("@")[0], password, role: values.admin ? "admin" : "agent" }));
    output.out(`created ${agent.role} ${agent.email} (${agent.name})`);
    return EXIT.ok;
  } finally {
    await close();
  }
}

async function runMigrate(config: Config, output: Output): Promise<number> {
  if (!config.database.url) throw new AppError("CONFIG_INVALID", "kefu migrate needs DATABASE_URL (postgres://…); the SQLite files in DATA_DIR migrate themselves when opened.");
  const { Postgres } = await import("./storage/postgres.ts");
  const { migrate, MIGRATIONS } = await import("./storage/postgres-migrations.ts");
  const postgres = await Postgres.connect(config.database.url);
  try {
    const applied = await migrate(postgres);
    output.out(applied.length > 0 ? `applied ${applied.map((version) => `version ${version}`).join(", ")}` : "nothing to apply");
    output.out(`schema at version ${MIGRATIONS.at(-1)!.version}`);
    return EXIT.ok;
  } finally {
    await postgres.close();
  }
}

/** A password from the terminal without echoing it, or the first line of piped input. */
async function readPassword(output: Output): Promise<string> {
  const { createInterface } = await import("node:readline");
  const terminal = Boolean(process.stdin.isTTY);
  const reader = createInterface({ input: process.stdin, output: process.stdout, terminal });
  if (terminal) {
    output.out("Password (at least 10 characters): ");
    (reader as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined;
  }
  try {
    const line = await new Promise<string>((resolveLine) => reader.once("line", resolveLine).once("close", () => resolveLine("")));
    return line.trim();
  } finally {
    reader.close();
  }
}

async function runIngest(args: string[], config: Config, output: Output, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args, options: { dir: { type: "string" }, server: { type: "string" } }, strict: true, allowPositionals: false });
  if (values.server) return ingestThroughServer(values.server, resolve(values.dir ?? config.knowledgeDir), env, output);
  // Imported here, not at the top: they pull in LangChain and hnswlib, which `kefu --help` does not need.
  const { SqliteKnowledgeStore } = await import("./knowledge/sqlite-knowledge-store.ts");
  const { loadKnowledge } = await import("./knowledge/load-knowledge.ts");
  const { createEmbedder } = await import("./retrieval/create-embedder.ts");
  const directory = resolve(values.dir ?? config.knowledgeDir);
  const dataDir = resolve(config.dataDir);
  const embedder = await createEmbedder(config.embedding);
  // With DATABASE_URL the version is published in Postgres, where every running server picks it up.
  const postgres = config.database.url ? await (await import("./storage/open-stores.ts")).openPostgres(config.database.url, createStderrLogger()) : undefined;
  const options = { dataDir, embedder, synchronous: config.database.synchronous, logger: createStderrLogger() };
  const knowledge = postgres
    ? await (await import("./knowledge/pg-knowledge-store.ts")).PgKnowledgeStore.open({ ...options, postgres }).catch(async (error: unknown) => (await postgres.close(), Promise.reject(error)))
    : await SqliteKnowledgeStore.open(options);
  try {
    const loaded = await loadKnowledge(directory);
    const report = await knowledge.sync(loaded);
    output.out(formatIngestReport(report, { directory, dataDir: postgres ? redactUrl(config.database.url!) : dataDir, rejected: loaded.rejectedSources.length }));
    return loaded.rejectedSources.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await knowledge.close();
    await postgres?.close();
  }
}

function formatIngestReport(report: IngestReport, context: { directory: string; dataDir: string; rejected: number }): string {
  const lines = [
    `ingested ${context.directory} into ${context.dataDir}`,
    `  added ${report.added}, updated ${report.updated}, removed ${report.removed}, unchanged ${report.unchanged}`,
    `  passages ${report.passages}, knowledge version ${report.version}`,
  ];
  if (report.problems.length > 0) {
    lines.push(`${report.problems.length} problem(s)${context.rejected > 0 ? `, ${context.rejected} file(s) rejected and left as they were` : ""}:`);
    for (const problem of report.problems) lines.push(`  ${problem.file}${problem.line === null ? "" : `:${problem.line}`}: ${problem.message}`);
  }
  return lines.join("\n");
}

/**
 * Publish a folder to a running server through its admin API, as one version: the folder's files
 * replace what an earlier ingest of the same folder published, so documents removed from the
 * folder are removed from the server too. Credentials: KEFU_ADMIN_EMAIL and KEFU_ADMIN_PASSWORD.
 */
async function ingestThroughServer(server: string, directory: string, env: NodeJS.ProcessEnv, output: Output): Promise<number> {
  const { readdir, readFile } = await import("node:fs/promises");
  const { basename, join, relative } = await import("node:path");
  const { readerFor } = await import("./knowledge/load-knowledge.ts");
  if (!env.KEFU_ADMIN_EMAIL || !env.KEFU_ADMIN_PASSWORD) throw usageError("ingest --server needs KEFU_ADMIN_EMAIL and KEFU_ADMIN_PASSWORD of an admin account");
  const login = await fetch(new URL("/api/agent/login", server), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: env.KEFU_ADMIN_EMAIL, password: env.KEFU_ADMIN_PASSWORD }),
  });
  const session = (await login.json()) as { token?: string; error?: { message: string } };
  if (!login.ok || !session.token) throw new AppError("UNAUTHORIZED", `Login to ${server} failed: ${session.error?.message ?? login.status}`);
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  const documents = [];
  for (const entry of entries.filter((item) => item.isFile() && !item.name.startsWith("."))) {
    const filename = relative(directory, join(entry.parentPath, entry.name)).split("\\").join("/");
    if (readerFor(filename)) documents.push({ type: "file", filename, content: await readFile(join(entry.parentPath, entry.name), "utf8") });
  }
  const response = await fetch(new URL("/api/admin/knowledge/changes", server), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
    body: JSON.stringify({ documents, syncSource: basename(directory) }),
  });
  const body = (await response.json()) as { report?: IngestReport | null; published?: boolean; error?: { code: string; message: string } };
  if (!response.ok || !body.report) {
    output.err(body.error ? `${body.error.code}: ${body.error.message}` : `The server refused the update (${response.status}).`);
    return EXIT.failed;
  }
  output.out(formatIngestReport(body.report, { directory, dataDir: server, rejected: 0 }));
  return EXIT.ok;
}

async function runEvalCommand(args: string[], config: Config, output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      mode: { type: "string", default: "page" },
      retriever: { type: "string", default: "hybrid" },
      json: { type: "boolean", default: false },
      limit: { type: "string" },
      // Undocumented, for experiments: retriever options and a dump of the per-question records.
      "rrf-k": { type: "string" },
      "page-boost": { type: "string" },
      "language-boost": { type: "string" },
      candidates: { type: "string" },
      "page-candidates": { type: "string" },
      records: { type: "string" },
      "catalog-drafts": { type: "boolean", default: false },
    },
  });
  if (values["catalog-drafts"]) {
    if (positionals.length > 0) throw usageError("eval --catalog-drafts takes no case set folder");
    const { evaluateCatalogDrafts, formatCatalogDraftsReport } = await import("./shopping/eval-catalog-drafts.ts");
    const mode = oneOf(values.mode, ["page", "site"] as const, "--mode");
    const summary = await evaluateCatalogDrafts({ config, mode, logger: createStderrLogger(), onProgress: output.err });
    output.out(values.json ? JSON.stringify(summary, null, 2) : formatCatalogDraftsReport(summary));
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw usageError("eval needs exactly one case set folder");
  const mode = oneOf(values.mode, ["page", "site"] as const, "--mode");
  const retrieverMode = oneOf(values.retriever, ["hybrid", "lexical", "dense"] as const, "--retriever");
  const retrieverOptions: Partial<RetrieverOptions> = {};
  const numeric = { "rrf-k": "rrfK", "page-boost": "pageBoost", "language-boost": "languageBoost", candidates: "candidates", "page-candidates": "pageCandidates" } as const;
  for (const [flag, key] of Object.entries(numeric) as [keyof typeof numeric, keyof RetrieverOptions][]) {
    if (values[flag] !== undefined) retrieverOptions[key] = parseNumber(values[flag], `--${flag}`, key === "candidates" || key === "pageCandidates");
  }
  const limit = values.limit === undefined ? undefined : parseNumber(values.limit, "--limit", true);

  if (existsSync(join(positionals[0]!, "shopping.json"))) {
    const { evaluateShoppingSet, formatShoppingReport } = await import("./shopping/eval-shopping.ts");
    const { summary, records } = await evaluateShoppingSet({ setDir: positionals[0]!, knowledgeDir: config.knowledgeDir, settings: config.shopping });
    if (values.records) await writeFile(values.records, records.map((record) => JSON.stringify(record)).join("\n") + "\n");
    output.out(values.json ? JSON.stringify(summary, null, 2) : formatShoppingReport(summary, records));
    return EXIT.ok;
  }
  const { evaluateSet } = await import("./eval/evaluate-set.ts");
  const { formatEvalJson, formatEvalReport } = await import("./eval/format-report.ts");
  const { summary, records } = await evaluateSet({
    setDir: positionals[0]!,
    config,
    mode,
    retrieverMode,
    retrieverOptions,
    ...(limit === undefined ? {} : { limit }),
    logger: createStderrLogger(),
    onProgress: output.err,
  });
  if (values.records) await writeFile(values.records, records.map((record) => JSON.stringify(record)).join("\n") + "\n");
  output.out(values.json ? formatEvalJson(summary) : formatEvalReport(summary));
  return EXIT.ok;
}

async function runFitGate(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { l2: { type: "string", default: "0.01" }, out: { type: "string" }, only: { type: "string" } }, strict: true, allowPositionals: true });
  if (positionals.length === 0) throw usageError("fit-gate needs at least one records file (kefu eval --records <file>)");
  const l2 = parseNumber(values.l2, "--l2", false);
  const { readFile } = await import("node:fs/promises");
  const { fitLogistic, gateSamples, toGateModel } = await import("./eval/fit-gate.ts");
  const { DEFAULT_GATE, GATE_TERM_NAMES } = await import("./escalation/gate.ts");
  // --only a,b: fit those terms and the bias, keep every other term's shipped weight.
  const only = values.only === undefined ? undefined : ["bias", ...values.only.split(",").map((name) => name.trim()).filter((name) => name && name !== "bias")];
  const unknown = only?.filter((name) => !(GATE_TERM_NAMES as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) throw usageError(`--only: unknown gate terms ${unknown.join(", ")} (terms: ${GATE_TERM_NAMES.join(", ")})`);
  const fixed = only ? Object.fromEntries(GATE_TERM_NAMES.filter((name) => !only.includes(name)).map((name) => [name, DEFAULT_GATE.weights[name]])) : undefined;
  const runs = await Promise.all(positionals.map(async (file) => ({
    name: file,
    records: (await readFile(file, "utf8")).split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line) as import("./eval/eval-record.ts").EvalRecord),
  })));
  const samples = gateSamples(runs);
  const model = toGateModel(fitLogistic(samples, { l2, ...(fixed ? { fixed } : {}) }), positionals.map((file) => file.split("/").pop()!), l2, only);
  const out = values.out ?? new URL("./escalation/gate-weights.json", import.meta.url).pathname;
  await writeFile(out, `${JSON.stringify(model, null, 2)}\n`);
  output.out(`fitted on ${samples.length} questions from ${runs.length} runs; weights written to ${out}\n${JSON.stringify(model.weights)}`);
  return EXIT.ok;
}

/**
 * Logs of a command-line run go to stderr, warnings and up only: stdout carries the report,
 * and info lines about each step would only repeat it.
 */
function createStderrLogger(): Logger {
  return pino({ level: "warn", base: undefined }, pino.destination(2));
}

function oneOf<const T extends readonly string[]>(value: string | undefined, allowed: T, flag: string): T[number] {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value;
  throw usageError(`${flag} must be one of ${allowed.join(", ")} (got ${value})`);
}

function parseNumber(value: string, flag: string, positiveInteger: boolean): number {
  const number = Number(value);
  const valid = value.trim() !== "" && Number.isFinite(number) && (positiveInteger ? Number.isInteger(number) && number > 0 : number >= 0);
  if (!valid) throw usageError(`${flag} must be ${positiveInteger ? "a positive integer" : "a number ≥ 0"} (got ${value})`);
  return number;
}

function usageError(message: string): AppError {
  return new AppError("BAD_REQUEST", message, { details: { usage: true } });
}

/** Bad flags, whether found by parseArgs or by our own checks. */
function isUsageError(error: unknown): boolean {
  if (isAppError(error, "BAD_REQUEST") && error.details?.usage === true) return true;
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

process.exitCode = await runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
